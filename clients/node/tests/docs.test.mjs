// docs/clients.md shows the code these suites run: each code block preceded by
// `<!-- snippet: clients/<path> -->` must appear, line for line, in that file. Needs no server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../../', import.meta.url);
const doc = readFileSync(new URL('docs/clients.md', root), 'utf8');
const SNIPPET = /<!-- snippet: (\S+) -->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;

/** The lines of `text`, each without its trailing spaces. */
const lines = (text) => text.split('\n').map((line) => line.trimEnd());

const indentOf = (line) => line.length - line.trimStart().length;

/** True when `block`'s lines appear consecutively in `file`'s, shifted by one indentation. */
function contains(file, block) {
  const fileLines = lines(file);
  const blockLines = lines(block);
  const shift = Math.min(...blockLines.filter((line) => line !== '').map(indentOf));
  const dedented = blockLines.map((line) => line.slice(shift));
  for (let start = 0; start + dedented.length <= fileLines.length; start += 1) {
    const indent = indentOf(fileLines[start]) - indentOf(dedented[0]);
    if (indent < 0) continue;
    const prefix = ' '.repeat(indent);
    if (dedented.every((line, i) => fileLines[start + i] === (line === '' ? '' : prefix + line))) {
      return true;
    }
  }
  return false;
}

const snippets = [...doc.matchAll(SNIPPET)];

test('docs/clients.md has snippets', () => {
  assert.ok(snippets.length >= 10, `only ${snippets.length} snippets found`);
});

for (const [, path, block] of snippets) {
  test(`docs/clients.md: the snippet from ${path} is in it`, () => {
    const file = readFileSync(new URL(path, root), 'utf8');
    assert.ok(contains(file, block), `docs/clients.md shows code that is not in ${path}:\n${block}`);
  });
}
