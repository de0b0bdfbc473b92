//! The `levier` binary: parse the command line and dispatch a subcommand — nothing else.

use clap::Parser;

/// jemalloc rather than glibc's allocator: the nested read allocates many small values (rows,
/// GraphQL values, JSON), where glibc's took about a third of the server's CPU
/// (bench/README.md, "CPU per nested read").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
