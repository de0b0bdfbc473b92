//! `createPersona`, `updatePersona`, `deletePersona`.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::strategy::persona::{CreatePersonaInput, DeletePersonaInput, UpdatePersonaInput},
        types::Persona,
    },
    ids::{self, NodeType},
    payload,
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
        let (name, profile) = input.into_parts();
        let (created, user_errors) =
            into_payload(domain::strategy::persona::create(session(ctx)?, name, profile).await)?;
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
