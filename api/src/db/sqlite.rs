//! Why an SQLite file cannot be opened, with its path: SQLite itself says only "unable to open
//! database file" (SQLITE_CANTOPEN), whether the folder is missing, the file is missing and the
//! URL does not ask to create it (`mode=rwc`), or the file may not be opened.

use std::{path::Path, str::FromStr};

use sea_orm::{
    DbErr, RuntimeErr,
    sqlx::{self, sqlite::SqliteConnectOptions},
};

use super::error::{StartError, describe_sqlx};

/// SQLite's primary result code for a file it cannot open; extended codes keep it in their low
/// byte.
const SQLITE_CANTOPEN: i32 = 14;

/// The [`StartError`] that explains `error`, if it is SQLite failing to open the file of `url`.
pub(super) fn open_error(url: &str, error: &DbErr) -> Option<StartError> {
    let DbErr::Conn(RuntimeErr::SqlxError(cause)) = error else {
        return None;
    };
    let sqlx::Error::Database(database) = cause.as_ref() else {
        return None;
    };
    database.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
    let code = database.code()?.parse::<i32>().ok()?;
    if code & 0xff != SQLITE_CANTOPEN {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let file = std::path::absolute(options.get_filename())
        .unwrap_or_else(|_| options.get_filename().to_path_buf());
    Some(explain(url, &file, describe_sqlx(cause)))
}

/// What is wrong with `file`, looking at the file system.
fn explain(url: &str, file: &Path, cause: String) -> StartError {
    match file.parent() {
        Some(folder) if !folder.is_dir() => StartError::SqliteFolderMissing {
            folder: folder.to_path_buf(),
            file: file.to_path_buf(),
        },
        _ if !file.exists() => StartError::SqliteFileMissing {
            file: file.to_path_buf(),
            suggested: with_mode_rwc(url),
        },
        _ => StartError::SqliteOpen {
            file: file.to_path_buf(),
            cause,
        },
    }
}

/// `url` with `mode=rwc` (read, write, create): its `mode` parameter replaced, or added.
fn with_mode_rwc(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut parameters: Vec<&str> = query
        .split('&')
        .filter(|parameter| !parameter.is_empty() && !parameter.starts_with("mode="))
        .collect();
    parameters.push("mode=rwc");
    format!("{base}?{}", parameters.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_rwc_is_added_or_replaces_the_mode() {
        assert_eq!(
            with_mode_rwc("sqlite:///var/lib/levier/levier.sqlite"),
            "sqlite:///var/lib/levier/levier.sqlite?mode=rwc"
        );
        assert_eq!(
            with_mode_rwc("sqlite://data.sqlite?mode=rw&cache=shared"),
            "sqlite://data.sqlite?cache=shared&mode=rwc"
        );
    }

    #[test]
    fn the_missing_part_is_named() {
        let root = std::env::temp_dir().join(format!("levier-sqlite-{}", uuid::Uuid::now_v7()));
        let file = root.join("levier.sqlite");
        let url = format!("sqlite://{}", file.display());
        let cause = || "unable to open database file (code 14)".to_owned();
        assert!(matches!(
            explain(&url, &file, cause()),
            StartError::SqliteFolderMissing { folder, .. } if folder == root
        ));
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
        let missing = explain(&url, &file, cause());
        assert_eq!(
            missing.to_string(),
            format!(
                "the SQLite database {} does not exist: to create it, add mode=rwc to \
                 LEVIER_DATABASE_URL ({url}?mode=rwc); otherwise correct its path",
                file.display()
            )
        );
        std::fs::write(&file, b"").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            explain(&url, &file, cause()),
            StartError::SqliteOpen { .. }
        ));
        let _ = std::fs::remove_dir_all(&root);
    }
}
