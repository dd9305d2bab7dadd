//! The `news` binary: parse arguments, run, print an error once, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = news_search::cli::parse();
    match news_search::app::run(command) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("news: {error}");
            ExitCode::from(news_search::app::exit::ERROR)
        }
    }
}
