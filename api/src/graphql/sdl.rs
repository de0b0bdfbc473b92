//! The schema as SDL, with fixed export options so that `schema.graphql` diffs stay small.

use async_graphql::SDLExportOptions;

use super::LevierSchema;

/// The SDL of the schema: fields, arguments and enum values sorted, custom scalars with their
/// `@specifiedBy` (which introspection's `specifiedByURL` answers too).
pub fn export(schema: &LevierSchema) -> String {
    schema.sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items()
            .include_specified_by(),
    )
}
