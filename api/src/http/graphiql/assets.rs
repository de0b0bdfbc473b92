//! The files of the GraphiQL page, embedded in the binary at compile time: GraphiQL's and
//! React's production builds (vendored in `api/assets/graphiql`, see its README) and the
//! page's own script and style sheet beside this file.
//!
//! Each file is addressed as `graphiql/<name>?v=<digest>`, its content's digest: a page always
//! names the files it was built with, so a browser may keep them a year without asking again
//! and a new build is fetched at once. A request without the current digest still gets the
//! file, but must revalidate it (`no-cache`, with a weak `ETag` from the same digest).

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

/// One embedded file.
pub struct Asset {
    /// Its name in `/graphiql/<name>`.
    pub name: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
}

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

macro_rules! vendored {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            body: include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/graphiql/",
                $name
            )),
        }
    };
}

/// Every file served under `/graphiql/`. The licences travel with the code they cover.
pub static ASSETS: [Asset; 9] = [
    vendored!("react.production.min.js", JAVASCRIPT),
    vendored!("react-dom.production.min.js", JAVASCRIPT),
    vendored!("graphiql.min.js", JAVASCRIPT),
    vendored!("graphiql.min.css", CSS),
    vendored!("LICENSE.graphiql", TEXT),
    vendored!("LICENSE.react", TEXT),
    vendored!("LICENSE.react-dom", TEXT),
    Asset {
        name: "levier-graphiql.js",
        content_type: JAVASCRIPT,
        body: include_bytes!("levier-graphiql.js"),
    },
    Asset {
        name: "levier-graphiql.css",
        content_type: CSS,
        body: include_bytes!("levier-graphiql.css"),
    },
];

/// The digests of [`ASSETS`], in the same order, computed once.
static DIGESTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| hex::encode(&Sha256::digest(asset.body)[..8]))
        .collect()
});

/// The file called `name`, with its digest.
pub fn find(name: &str) -> Option<(&'static Asset, &'static str)> {
    ASSETS
        .iter()
        .zip(DIGESTS.iter())
        .find(|(asset, _)| asset.name == name)
        .map(|(asset, digest)| (asset, digest.as_str()))
}

/// The page-relative address of the file called `name`, with its digest; `None` for a name
/// that is not embedded.
pub fn address(name: &str) -> Option<String> {
    find(name).map(|(asset, digest)| format!("graphiql/{}?v={digest}", asset.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_found_with_a_digest_of_its_content() {
        for asset in &ASSETS {
            let (found, digest) = find(asset.name).unwrap_or_else(|| panic!("{}", asset.name));
            assert!(!found.body.is_empty(), "{}", asset.name);
            assert_eq!(digest.len(), 16);
            assert_eq!(
                address(asset.name),
                Some(format!("graphiql/{}?v={digest}", asset.name))
            );
        }
        assert!(find("../Cargo.toml").is_none());
        assert!(address("missing.js").is_none());
    }
}
