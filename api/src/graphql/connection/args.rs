//! The Relay page arguments `first/after/last/before`: [`PageArgs`], which checks them into a
//! store request, and [`connection_fields!`](crate::connection_fields), which writes them out
//! once for every connection field of the schema.
//!
//! Why a macro that writes whole objects: async-graphql's `#[Object]` reads a resolver's
//! parameters to build its arguments, before any macro inside the `impl` is expanded, and a
//! `#[graphql(desc = ...)]` takes nothing but a string literal. So neither a macro standing for
//! the four parameters nor a `concat!` of their descriptions can work; a `macro_rules!` that
//! produces the `#[Object] impl` itself can. To keep it short and readable, it handles
//! connection fields only, never a mix: the query roots that list something are objects of
//! their own (merged into `Query`), and `Plan` and `Campaign` flatten a small object holding
//! their lists (`#[graphql(flatten)]`), so that their other fields stay ordinary, formatted
//! Rust. The exported SDL sorts fields and arguments, so where a field is declared does not
//! change `schema.graphql`.

use super::{
    DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
    cursor::{decode_cursor, decode_keyset_cursor},
};
use crate::{
    error::ApiError,
    store::page::{OrderedPageRequest, PageRequest, SortKind},
};

/// The pagination arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    /// `first`.
    pub first: Option<i32>,
    /// `after`.
    pub after: Option<String>,
    /// `last`.
    pub last: Option<i32>,
    /// `before`.
    pub before: Option<String>,
}

impl PageArgs {
    /// Checks the arguments and turns them into a store request.
    pub fn into_request(self) -> Result<PageRequest, ApiError> {
        let size = |value: i32, name: &str| {
            u64::try_from(value)
                .map(|size| size.min(MAX_PAGE_SIZE))
                .map_err(|_| ApiError::bad_input(format!("`{name}` must not be negative")))
        };
        let (limit, from_end) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input("use `first` or `last`, not both"));
            }
            (Some(first), None) => (size(first, "first")?, false),
            (None, Some(last)) => (size(last, "last")?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, false),
        };
        Ok(PageRequest {
            after: self.after.as_deref().map(decode_cursor).transpose()?,
            before: self.before.as_deref().map(decode_cursor).transpose()?,
            limit,
            from_end,
        })
    }
}

impl PageArgs {
    /// Checks the arguments of a list sorted as `ordering` by a column of type `kind` and turns
    /// them into a store request; `descending` when the list runs from the largest sort value
    /// down.
    pub fn into_ordered_request(
        self,
        ordering: &str,
        kind: SortKind,
        descending: bool,
    ) -> Result<OrderedPageRequest, ApiError> {
        let after = self
            .after
            .as_deref()
            .map(|cursor| decode_keyset_cursor(cursor, ordering, kind))
            .transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|cursor| decode_keyset_cursor(cursor, ordering, kind))
            .transpose()?;
        let shape = PageArgs {
            first: self.first,
            last: self.last,
            after: None,
            before: None,
        }
        .into_request()?;
        Ok(OrderedPageRequest {
            after,
            before,
            limit: shape.limit,
            from_end: shape.from_end,
            descending,
        })
    }
}

/// Declares an object whose fields are all Relay connections, writing out for each the four
/// page arguments with their descriptions and handing them to the body as one [`PageArgs`].
///
/// Each field is written as a resolver whose third parameter is `page: PageArgs`; any other
/// argument follows it, with its own `#[graphql(desc = "...")]`. The macro reads
/// `&Context<'_>`, `PageArgs` and `Result<…>` there as words of its own syntax (no `use` needed)
/// and writes the real types:
///
/// ```ignore
/// connection_fields! {
///     impl PersonaQuery {
///         /// The tenant's personas, oldest first.
///         async fn personas(&self, ctx: &Context<'_>, page: PageArgs) -> Result<PersonaConnection> {
///             let request = page.into_request()?;
///             // …
///         }
///     }
/// }
/// ```
///
/// The descriptions of `first`, `after`, `last` and `before` are looked up by the field's name
/// in the table at the end of this macro (a field name missing from it is a compile error
/// saying so); fields of the same name share them, as `Query.actions`, `Plan.actions` and
/// `Campaign.actions` do.
#[macro_export]
macro_rules! connection_fields {
    // The object: its fields are expanded one by one into the brackets, then emitted.
    (impl $object:ident { $($fields:tt)* }) => {
        $crate::connection_fields!(@next $object [] $($fields)*);
    };
    (@next $object:ident [$($done:tt)*]) => {
        #[async_graphql::Object]
        impl $object {
            $($done)*
        }
    };
    // The next field: fetch its argument descriptions, which call back `@field` below.
    (@next $object:ident $done:tt $(#[doc = $doc:literal])* async fn $name:ident $($rest:tt)*) => {
        $crate::connection_fields!(
            @descriptions $name, $object $done $(#[doc = $doc])* async fn $name $($rest)*
        );
    };
    (@field [$first:literal, $after:literal, $last:literal, $before:literal]
        $object:ident [$($done:tt)*]
        $(#[doc = $doc:literal])*
        async fn $name:ident(
            &$self:ident,
            $ctx:ident: &Context<'_>,
            $page:ident: PageArgs
            $(, $(#[$($attribute:tt)*])* $argument:ident: $argument_type:ty)* $(,)?
        ) -> Result<$connection:ident> { $($body:tt)* }
        $($rest:tt)*
    ) => {
        $crate::connection_fields!(@next $object [
            $($done)*
            $(#[doc = $doc])*
            // The four page arguments, a filter and an order: the field's arguments.
            #[allow(clippy::too_many_arguments)]
            async fn $name(
                &$self,
                $ctx: &async_graphql::Context<'_>,
                #[graphql(desc = $first)] first: Option<i32>,
                #[graphql(desc = $after)] after: Option<String>,
                #[graphql(desc = $last)] last: Option<i32>,
                #[graphql(desc = $before)] before: Option<String>,
                $($(#[$($attribute)*])* $argument: $argument_type,)*
            ) -> async_graphql::Result<$connection> {
                let $page = $crate::graphql::connection::PageArgs { first, after, last, before };
                $($body)*
            }
        ] $($rest)*);
    };
    // The descriptions of `first`, `after`, `last` and `before`, by field name (a `desc` must
    // be a string literal, so they cannot be built from the noun).
    (@descriptions actions, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n actions (default 20, at most 100).",
            "Return actions after this cursor (read in the same order).",
            "Return the last n actions (at most 100).",
            "Return actions before this cursor (read in the same order)."
        ] $($field)*);
    };
    (@descriptions api_keys, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n keys (default 20, at most 100).",
            "Return keys after this cursor.",
            "Return the last n keys (at most 100).",
            "Return keys before this cursor."
        ] $($field)*);
    };
    (@descriptions audit_events, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n audit entries (default 20, at most 100).",
            "Return audit entries after this cursor.",
            "Return the last n audit entries (at most 100).",
            "Return audit entries before this cursor."
        ] $($field)*);
    };
    (@descriptions history, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n audit entries of the object (default 20, at most 100).",
            "Return audit entries after this cursor.",
            "Return the last n audit entries (at most 100).",
            "Return audit entries before this cursor."
        ] $($field)*);
    };
    (@descriptions campaigns, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n campaigns (default 20, at most 100).",
            "Return campaigns after this cursor.",
            "Return the last n campaigns (at most 100).",
            "Return campaigns before this cursor."
        ] $($field)*);
    };
    (@descriptions comments, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n comment threads (default 20, at most 100).",
            "Return comment threads after this cursor.",
            "Return the last n comment threads (at most 100).",
            "Return comment threads before this cursor."
        ] $($field)*);
    };
    (@descriptions content_items, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n content items (default 20, at most 100).",
            "Return content items after this cursor.",
            "Return the last n content items (at most 100).",
            "Return content items before this cursor."
        ] $($field)*);
    };
    (@descriptions exchange_rates, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n rates (default 20, at most 100).",
            "Return rates after this cursor.",
            "Return the last n rates (at most 100).",
            "Return rates before this cursor."
        ] $($field)*);
    };
    (@descriptions measurements, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n measurements (default 20, at most 100).",
            "Return measurements after this cursor.",
            "Return the last n measurements (at most 100).",
            "Return measurements before this cursor."
        ] $($field)*);
    };
    (@descriptions webhook_deliveries, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n delivery attempts (default 20, at most 100).",
            "Return delivery attempts after this cursor.",
            "Return the last n delivery attempts (at most 100).",
            "Return delivery attempts before this cursor."
        ] $($field)*);
    };
    (@descriptions webhook_endpoints, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n webhook endpoints (default 20, at most 100).",
            "Return webhook endpoints after this cursor.",
            "Return the last n webhook endpoints (at most 100).",
            "Return webhook endpoints before this cursor."
        ] $($field)*);
    };
    (@descriptions personas, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n personas (default 20, at most 100).",
            "Return personas after this cursor.",
            "Return the last n personas (at most 100).",
            "Return personas before this cursor."
        ] $($field)*);
    };
    (@descriptions plans, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n plans (default 20, at most 100).",
            "Return plans after this cursor.",
            "Return the last n plans (at most 100).",
            "Return plans before this cursor."
        ] $($field)*);
    };
    (@descriptions replies, $($field:tt)*) => {
        $crate::connection_fields!(@field [
            "Return the first n replies (default 20, at most 100).",
            "Return replies after this cursor.",
            "Return the last n replies (at most 100).",
            "Return replies before this cursor."
        ] $($field)*);
    };
    (@descriptions $name:ident, $($field:tt)*) => {
        compile_error!(concat!(
            "connection_fields!: no descriptions of the page arguments of `",
            stringify!($name),
            "`; add them to the table in graphql/connection/args.rs"
        ));
    };
}
