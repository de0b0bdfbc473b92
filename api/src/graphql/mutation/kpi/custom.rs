//! `createKpiDefinition`, `updateKpiDefinition`, `deleteKpiDefinition`: the tenant's own KPIs.

use async_graphql::{Context, ID, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::into_payload,
        inputs::kpi::custom::{
            CreateKpiDefinitionInput, DeleteKpiDefinitionInput, UpdateKpiDefinitionInput,
        },
        types::KpiDefinition,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    CreateKpiDefinitionPayload,
    kpi_definition,
    KpiDefinition,
    "The result of `createKpiDefinition`.",
    "The new KPI definition; null when there are user errors."
);
payload!(
    UpdateKpiDefinitionPayload,
    kpi_definition,
    KpiDefinition,
    "The result of `updateKpiDefinition`.",
    "The KPI definition as changed; null when there are user errors."
);
payload!(
    DeleteKpiDefinitionPayload,
    deleted_id,
    ID,
    "The result of `deleteKpiDefinition`.",
    "The global ID of the deleted KPI definition; null when there are user errors."
);

/// Mutations of the tenant's own KPI definitions.
#[derive(Default)]
pub struct KpiMutation;

#[Object]
impl KpiMutation {
    /// Adds a KPI to the tenant's catalogue (EDITOR or ADMIN): a base KPI or a derived ratio
    /// of two summed base KPIs.
    async fn create_kpi_definition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new KPI.")] input: CreateKpiDefinitionInput,
    ) -> Result<CreateKpiDefinitionPayload> {
        let (created, user_errors) =
            into_payload(domain::kpi::custom::create(session(ctx)?, input.into()).await)?;
        Ok(CreateKpiDefinitionPayload {
            kpi_definition: created.map(KpiDefinition),
            user_errors,
        })
    }

    /// Changes one of the tenant's KPIs (EDITOR or ADMIN); CONFLICT when `expectedVersion` is
    /// stale. Built-in KPIs are refused with a BUILT_IN user error.
    async fn update_kpi_definition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The KPI and the changes.")] input: UpdateKpiDefinitionInput,
    ) -> Result<UpdateKpiDefinitionPayload> {
        let id = ids::decode_as(&input.id, NodeType::KpiDefinition)?;
        let version = input.expected_version;
        let (updated, user_errors) = into_payload(
            domain::kpi::custom::update(session(ctx)?, id, version, input.into()).await,
        )?;
        Ok(UpdateKpiDefinitionPayload {
            kpi_definition: updated.map(KpiDefinition),
            user_errors,
        })
    }

    /// Deletes one of the tenant's KPIs (ADMIN); refused with an IN_USE user error while
    /// objectives, measurements or derived KPIs use it, and with BUILT_IN for built-in KPIs.
    async fn delete_kpi_definition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The KPI to delete.")] input: DeleteKpiDefinitionInput,
    ) -> Result<DeleteKpiDefinitionPayload> {
        let id = ids::decode_as(&input.id, NodeType::KpiDefinition)?;
        let (deleted, user_errors) =
            into_payload(domain::kpi::custom::delete(session(ctx)?, id).await)?;
        Ok(DeleteKpiDefinitionPayload {
            deleted_id: deleted.map(|id| ids::encode(NodeType::KpiDefinition, id)),
            user_errors,
        })
    }
}
