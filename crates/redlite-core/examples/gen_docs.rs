//! Print docs/commands.md, generated from the command table:
//!
//!     cargo run -q -p redlite-core --example gen_docs > docs/commands.md

fn main() {
    print!("{}", redlite_core::docs::commands_markdown());
}
