//! Reading a file into rows of text cells: a CSV file (one sheet without a name) or every
//! sheet of an XLSX workbook (with `calamine`). Numbers and dates of a workbook become the text
//! a person would type for them (`1250.5`, `2027-03-01`), so that both formats are checked by
//! the same rules.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// One sheet's rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name in a workbook; `None` for a CSV file.
    pub name: Option<String>,
    /// The rows, in order, blank rows left out.
    pub rows: Vec<RawRow>,
}

/// One row of cells.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// Its number as a spreadsheet shows it (the first line is 1).
    pub number: usize,
    /// Its cells, trimmed.
    pub cells: Vec<String>,
}

impl RawRow {
    /// Whether every cell is empty.
    fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }

    /// The cell at `index`, empty past the row's end.
    pub fn at(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

/// Reads a CSV file (UTF-8, with or without a byte-order mark; fields quoted as RFC 4180 has
/// them; rows of any length). The error says why the file cannot be read.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| match error.kind() {
            csv::ErrorKind::Utf8 { pos, .. } => format!(
                "the file is not UTF-8 text (line {}); save it as \"CSV UTF-8\"",
                pos.as_ref().map_or(0, csv::Position::line)
            ),
            _ => format!("the file cannot be read as CSV: {error}"),
        })?;
        let number = record
            .position()
            .map_or(rows.len() + 1, |position| line_of(bytes, position));
        let row = RawRow {
            number,
            cells: record.iter().map(|cell| cell.trim().to_owned()).collect(),
        };
        if !row.is_blank() {
            rows.push(row);
        }
    }
    Ok(Sheet { name: None, rows })
}

/// The line a record starts on. The reader's position of a record that follows blank lines is
/// the first blank line's: the blank lines are counted in.
fn line_of(bytes: &[u8], position: &csv::Position) -> usize {
    let mut line = position.line() as usize;
    for byte in bytes.iter().skip(position.byte() as usize) {
        match byte {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// Reads every sheet of an XLSX workbook, in the workbook's order.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut workbook = Xlsx::new(Cursor::new(bytes))
        .map_err(|error| format!("the file cannot be read as an XLSX workbook: {error}"))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|error| format!("the sheet {name:?} cannot be read: {error}"))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (index, cells) in range.rows().enumerate() {
            // Cells left of the range's first column are empty: keep columns where they are.
            let cells = std::iter::repeat_n(String::new(), first_column as usize)
                .chain(cells.iter().map(text_of))
                .collect();
            let row = RawRow {
                number: first_row as usize + index + 1,
                cells,
            };
            if !row.is_blank() {
                rows.push(row);
            }
        }
        sheets.push(Sheet {
            name: Some(name),
            rows,
        });
    }
    Ok(sheets)
}

/// A workbook cell as text: a number as Rust writes it (`1250.5`, `300`), a date as an ISO
/// date (a time of day, when there is one, as an ISO date-time), an error as its Excel name.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.trim().to_owned(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => float_text(*value),
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(value) => match value.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.date().to_string(),
            Some(at) => at.to_string(),
            None => value.as_f64().to_string(),
        },
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error}"),
    }
}

/// A spreadsheet's number as text: whole numbers without a fraction; others as the shortest
/// text that reads back as the same binary number (what the spreadsheet showed, in practice).
fn float_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_ones() {
        let sheet = read_csv(b"\xEF\xBB\xBFa,b\n\n1, 2 \n\"x\ny\",3\n4\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let numbers: Vec<usize> = sheet.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 6]);
        assert_eq!(sheet.rows[0].cells, vec!["a", "b"]);
        assert_eq!(sheet.rows[1].cells, vec!["1", "2"]);
        assert_eq!(sheet.rows[2].cells, vec!["x\ny", "3"]);
        assert_eq!(sheet.rows[3].at(1), "");
        let crlf = read_csv(b"a\r\n\r\n\r\nb\r\nc\r\n").unwrap_or_else(|e| panic!("{e}"));
        let numbers: Vec<usize> = crlf.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, vec![1, 4, 5]);
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused_with_a_reason() {
        let error = read_csv(b"a,b\n\xff\xfe,1\n").err().unwrap_or_default();
        assert!(error.contains("UTF-8"), "{error}");
    }

    #[test]
    fn workbook_numbers_read_as_typed() {
        assert_eq!(float_text(300.0), "300");
        assert_eq!(float_text(1250.5), "1250.5");
        assert_eq!(float_text(0.1), "0.1");
    }
}
