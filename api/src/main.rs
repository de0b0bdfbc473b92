//! The `levier` binary: parse the command line and dispatch a subcommand — nothing else.

use clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    match levier::cli::run(levier::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("levier: {}", levier::cli::describe_error(&error));
            std::process::ExitCode::FAILURE
        }
    }
}
