//! docs/commands.md must be what the command table renders: a command added, removed
//! or redocumented without regenerating the page fails here.

use redlite_core::docs;

#[test]
fn commands_md_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/commands.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = docs::commands_markdown();
    if on_disk != generated {
        let first_diff = on_disk
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(on_disk.lines().count().min(generated.lines().count()));
        panic!(
            "docs/commands.md is out of date with the command table (first difference at line {}).\n\
             Regenerate it from the workspace root with:\n\n    {}\n",
            first_diff + 1,
            docs::REGENERATE
        );
    }
}
