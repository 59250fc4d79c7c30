//! The IR text format: lexer, parser (with type inference and located errors) and printer.

mod lexer;
mod parser;
mod printer;

pub use parser::{parse_function, parse_module};
pub use printer::constant_text;
