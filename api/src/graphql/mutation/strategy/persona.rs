//! `createPersona`, `updatePersona`, `deletePersona`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::persona::{
            CreatePersonaInput, DeletePersonaInput, UpdatePersonaInput, UpsertPersonaInput,
        },
        types::Persona,
    },
    ids::{self, NodeType},
    payload, upsert_payload,
};

payload!(
    CreatePersonaPayload,
    persona,
    Persona,
    "The result of `createPersona`.",
    "The new persona; null when there are user errors."
);
payload!(
    UpdatePersonaPayload,
    persona,
    Persona,
    "The result of `updatePersona`.",
    "The persona as changed; null when there are user errors."
);
upsert_payload!(
    UpsertPersonaPayload,
    persona,
    Persona,
    "The result of `upsertPersona`.",
    "The persona as created, changed or left; null when there are user errors."
);
payload!(
    DeletePersonaPayload,
    deleted_id,
    ID,
    "The result of `deletePersona`.",
    "The global ID of the deleted persona; null when there are user errors."
);

/// Mutations of personas.
#[derive(Default)]
pub struct PersonaMutation;

#[Object]
impl PersonaMutation {
    /// Creates a persona (EDITOR or ADMIN).
    async fn create_persona(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new persona.")] input: CreatePersonaInput,
    ) -> Result<CreatePersonaPayload> {
        let (name, profile) = input.fields.into_parts();
        let external_ref = input.external_ref.map(Into::into);
        let (created, user_errors) = into_payload(
            domain::strategy::persona::create(session(ctx)?, name, profile, external_ref).await,
        )?;
        Ok(CreatePersonaPayload {
            persona: created.map(|persona| Persona(persona.into())),
            user_errors,
        })
    }

    /// Changes a persona (EDITOR or ADMIN); CONFLICT when `expectedVersion` is stale.
    async fn update_persona(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The persona and the changes.")] input: UpdatePersonaInput,
    ) -> Result<UpdatePersonaPayload> {
        let id = ids::decode_as(&input.id, NodeType::Persona)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::strategy::persona::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdatePersonaPayload {
            persona: updated.map(|persona| Persona(persona.into())),
            user_errors,
        })
    }

    /// Creates or changes the persona with an external reference (EDITOR or ADMIN): CREATED
    /// when no persona has it, UPDATED when the persona differs from the document, UNCHANGED
    /// (nothing written) when it already is as given. The create's and the update's checks and
    /// user errors; CONFLICT when `expectedVersion` is stale.
    async fn upsert_persona(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The persona's reference and fields.")] input: UpsertPersonaInput,
    ) -> Result<UpsertPersonaPayload> {
        let (name, profile) = input.fields.into_parts();
        // Boxed: an upsert holds both its create and its update, too large a future to keep
        // inline in the mutation root's (a debug build overflowed a worker's 2 MiB stack).
        let result = Box::pin(domain::strategy::persona::upsert(
            session(ctx)?,
            input.external_ref.into(),
            input.expected_version,
            name,
            profile,
        ))
        .await;
        let (done, user_errors) = into_payload(result)?;
        let (persona, outcome) = done.unzip();
        Ok(UpsertPersonaPayload {
            persona: persona.map(|persona| Persona(persona.into())),
            outcome: outcome.map(Into::into),
            user_errors,
        })
    }

    /// Deletes a persona (ADMIN).
    async fn delete_persona(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The persona to delete.")] input: DeletePersonaInput,
    ) -> Result<DeletePersonaPayload> {
        let id = ids::decode_as(&input.id, NodeType::Persona)?;
        let (deleted, user_errors) =
            into_payload(domain::strategy::persona::delete(session(ctx)?, id).await)?;
        Ok(DeletePersonaPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::Persona, id)),
            user_errors,
        })
    }
}
