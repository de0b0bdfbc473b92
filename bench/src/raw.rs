//! The raw database baseline: the SQL the API's store and DataLoaders issue for the benchmarked
//! query (see `api/src/store/{plan,campaign,persona,page}.rs`), written out by hand and run
//! through SeaORM on a pool opened exactly as the server opens its own (`levier::db::connect`),
//! decoded into the same entity models — without HTTP, GraphQL or JSON.
//!
//! One query set is nine statements in four dependent steps, as in the API:
//! 1. the first page of plans (`LIMIT 21`: one extra row tells whether a next page exists);
//! 2. the number of plans;
//! 3. concurrently: the campaign pages of those plans (one `ROW_NUMBER()` window query), the
//!    campaign counts per plan (`GROUP BY`), and the plans' persona links then their personas;
//! 4. concurrently: the levers of the campaigns shown, and their persona links then personas.
//!
//! The tenant's id is looked up once, as the server caches it after the first request.

use std::collections::HashMap;

use anyhow::Context;
use entity::{campaign, campaign_lever, campaign_persona, persona, plan, plan_persona, tenant};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable,
    Statement, Value,
};
use uuid::Uuid;

use crate::graphql::PAGE_SIZE;

/// The qualified column list of an entity, in the order SeaORM selects them.
fn columns<E: EntityTrait>() -> String {
    let table = E::default().table_name().to_owned();
    E::Column::iter()
        .map(|column| format!("\"{table}\".\"{}\"", column.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// SQL text with its bound values; `?` on SQLite, `$n` on PostgreSQL.
struct Sql {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            values: Vec::new(),
        }
    }

    /// Binds a value and returns its placeholder.
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    /// Binds every id and returns the placeholders of an `IN (…)` list.
    fn bind_all(&mut self, ids: &[Uuid]) -> String {
        ids.iter()
            .map(|id| self.bind(*id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// A campaign shown in the answer, with what the API resolves for it.
pub struct CampaignRow {
    /// The campaign.
    pub campaign: campaign::Model,
    /// Its levers, in order.
    pub levers: Vec<entity::enums::Lever>,
    /// Its personas.
    pub personas: Vec<persona::Model>,
}

/// A plan shown in the answer.
pub struct PlanRow {
    /// The plan.
    pub plan: plan::Model,
    /// Its personas.
    pub personas: Vec<persona::Model>,
    /// Its first page of campaigns.
    pub campaigns: Vec<CampaignRow>,
    /// How many campaigns it has.
    pub campaign_count: i64,
}

/// The whole answer of one query set.
pub struct Answer {
    /// How many plans the tenant has.
    pub plan_count: i64,
    /// The first page of plans.
    pub plans: Vec<PlanRow>,
}

impl Answer {
    /// Rows read into the answer (plans, campaigns, levers and personas shown).
    pub fn rows(&self) -> u64 {
        let mut rows = 0;
        for plan in &self.plans {
            rows += 1 + plan.personas.len();
            for campaign in &plan.campaigns {
                rows += 1 + campaign.levers.len() + campaign.personas.len();
            }
        }
        rows as u64
    }
}

/// The query set, bound to a connection and a tenant.
pub struct QuerySet {
    db: DatabaseConnection,
    tenant_id: Uuid,
    plan_columns: String,
    campaign_columns: String,
    lever_columns: String,
    persona_columns: String,
    plan_link_columns: String,
    campaign_link_columns: String,
}

impl QuerySet {
    /// Looks the tenant up by key (once, as the server caches it) and prepares the column lists.
    pub async fn new(db: DatabaseConnection, tenant_key: &str) -> anyhow::Result<Self> {
        let mut sql = Sql::new(db.get_database_backend());
        let text = format!(
            "SELECT {} FROM \"tenants\" WHERE \"tenants\".\"key\" = {} LIMIT {}",
            columns::<tenant::Entity>(),
            sql.bind(tenant_key),
            sql.bind(1_i64),
        );
        let tenant = tenant::Entity::find()
            .from_raw_sql(sql.statement(text))
            .one(&db)
            .await
            .context("reading the bench tenant")?
            .with_context(|| format!("no tenant `{tenant_key}`"))?;
        Ok(Self {
            db,
            tenant_id: tenant.id,
            plan_columns: columns::<plan::Entity>(),
            campaign_columns: columns::<campaign::Entity>(),
            lever_columns: columns::<campaign_lever::Entity>(),
            persona_columns: columns::<persona::Entity>(),
            plan_link_columns: columns::<plan_persona::Entity>(),
            campaign_link_columns: columns::<campaign_persona::Entity>(),
        })
    }

    fn sql(&self) -> Sql {
        Sql::new(self.db.get_database_backend())
    }

    /// Runs the nine statements and assembles the answer.
    pub async fn run(&self) -> Result<Answer, DbErr> {
        let mut plans = self.plan_page().await?;
        plans.truncate(PAGE_SIZE as usize);
        let plan_count = self.plan_count().await?;
        let plan_ids: Vec<Uuid> = plans.iter().map(|plan| plan.id).collect();
        let (mut plan_personas, mut pages, counts) = futures::try_join!(
            self.plan_personas(&plan_ids),
            self.campaign_pages(&plan_ids),
            self.campaign_counts(&plan_ids),
        )?;
        for page in pages.values_mut() {
            page.truncate(PAGE_SIZE as usize);
        }
        let campaign_ids: Vec<Uuid> = plan_ids
            .iter()
            .flat_map(|plan_id| pages.get(plan_id).into_iter().flatten())
            .map(|campaign| campaign.id)
            .collect();
        let (mut levers, mut campaign_personas) = futures::try_join!(
            self.campaign_levers(&campaign_ids),
            self.campaign_personas(&campaign_ids),
        )?;
        let plans = plans
            .into_iter()
            .map(|plan| {
                let campaigns = pages
                    .remove(&plan.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|campaign| CampaignRow {
                        levers: levers.remove(&campaign.id).unwrap_or_default(),
                        personas: campaign_personas.remove(&campaign.id).unwrap_or_default(),
                        campaign,
                    })
                    .collect();
                PlanRow {
                    personas: plan_personas.remove(&plan.id).unwrap_or_default(),
                    campaign_count: counts.get(&plan.id).copied().unwrap_or(0),
                    campaigns,
                    plan,
                }
            })
            .collect();
        Ok(Answer { plan_count, plans })
    }

    /// `store::plan::list`: keyset page, one row more than shown.
    async fn plan_page(&self) -> Result<Vec<plan::Model>, DbErr> {
        let mut sql = self.sql();
        let text = format!(
            "SELECT {} FROM \"plans\" WHERE \"plans\".\"tenant_id\" = {} \
             ORDER BY \"plans\".\"id\" ASC LIMIT {}",
            self.plan_columns,
            sql.bind(self.tenant_id),
            sql.bind(PAGE_SIZE as i64 + 1),
        );
        plan::Entity::find()
            .from_raw_sql(sql.statement(text))
            .all(&self.db)
            .await
    }

    /// `store::plan::count`: SeaORM's `count()` wraps the scoped select in a sub-query.
    async fn plan_count(&self) -> Result<i64, DbErr> {
        let mut sql = self.sql();
        let text = format!(
            "SELECT COUNT(*) AS num_items FROM (SELECT {} FROM \"plans\" \
             WHERE \"plans\".\"tenant_id\" = {}) AS \"sub_query\"",
            self.plan_columns,
            sql.bind(self.tenant_id),
        );
        match self.db.query_one_raw(sql.statement(text)).await? {
            Some(row) => row.try_get::<i64>("", "num_items"),
            None => Ok(0),
        }
    }

    /// `store::campaign::pages_by_plan` (`page::fetch_by_parent`): every plan's first page in
    /// one statement, children ranked per parent by a window function.
    async fn campaign_pages(
        &self,
        plan_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<campaign::Model>>, DbErr> {
        if plan_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = self.sql();
        let text = format!(
            "SELECT * FROM (SELECT {}, ROW_NUMBER() OVER (PARTITION BY \"plan_id\" ORDER BY \"id\" ASC) \
             AS \"levier_rank\" FROM \"campaigns\" WHERE \"campaigns\".\"tenant_id\" = {} \
             AND \"campaigns\".\"plan_id\" IN ({})) AS \"ranked\" \
             WHERE \"levier_rank\" <= {} ORDER BY \"levier_rank\" ASC",
            self.campaign_columns,
            sql.bind(self.tenant_id),
            sql.bind_all(plan_ids),
            sql.bind(PAGE_SIZE as i64 + 1),
        );
        let mut pages: HashMap<Uuid, Vec<campaign::Model>> = HashMap::new();
        for row in campaign::Entity::find()
            .from_raw_sql(sql.statement(text))
            .all(&self.db)
            .await?
        {
            pages.entry(row.plan_id).or_default().push(row);
        }
        Ok(pages)
    }

    /// `store::campaign::counts_by_plan` (`page::count_by_parent`).
    async fn campaign_counts(&self, plan_ids: &[Uuid]) -> Result<HashMap<Uuid, i64>, DbErr> {
        if plan_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = self.sql();
        let text = format!(
            "SELECT \"campaigns\".\"plan_id\", COUNT(\"campaigns\".\"id\") AS \"count\" \
             FROM \"campaigns\" WHERE \"campaigns\".\"tenant_id\" = {} \
             AND \"campaigns\".\"plan_id\" IN ({}) GROUP BY \"campaigns\".\"plan_id\"",
            sql.bind(self.tenant_id),
            sql.bind_all(plan_ids),
        );
        let mut counts = HashMap::new();
        for row in self.db.query_all_raw(sql.statement(text)).await? {
            counts.insert(
                row.try_get_by_index::<Uuid>(0)?,
                row.try_get_by_index::<i64>(1)?,
            );
        }
        Ok(counts)
    }

    /// `store::campaign::levers_by_campaign`.
    async fn campaign_levers(
        &self,
        campaign_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<entity::enums::Lever>>, DbErr> {
        if campaign_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = self.sql();
        let text = format!(
            "SELECT {} FROM \"campaign_levers\" WHERE \"campaign_levers\".\"tenant_id\" = {} \
             AND \"campaign_levers\".\"campaign_id\" IN ({}) \
             ORDER BY \"campaign_levers\".\"position\" ASC",
            self.lever_columns,
            sql.bind(self.tenant_id),
            sql.bind_all(campaign_ids),
        );
        let mut levers: HashMap<Uuid, Vec<entity::enums::Lever>> = HashMap::new();
        for row in campaign_lever::Entity::find()
            .from_raw_sql(sql.statement(text))
            .all(&self.db)
            .await?
        {
            levers.entry(row.campaign_id).or_default().push(row.lever);
        }
        Ok(levers)
    }

    /// `store::plan::personas_by_plan`: the links, then the personas.
    async fn plan_personas(
        &self,
        plan_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<persona::Model>>, DbErr> {
        if plan_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = self.sql();
        let text = format!(
            "SELECT {} FROM \"plan_personas\" WHERE \"plan_personas\".\"tenant_id\" = {} \
             AND \"plan_personas\".\"plan_id\" IN ({})",
            self.plan_link_columns,
            sql.bind(self.tenant_id),
            sql.bind_all(plan_ids),
        );
        let links: Vec<(Uuid, Uuid)> = plan_persona::Entity::find()
            .from_raw_sql(sql.statement(text))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|link| (link.plan_id, link.persona_id))
            .collect();
        self.group_personas(&links).await
    }

    /// `store::campaign::personas_by_campaign`: the links, then the personas.
    async fn campaign_personas(
        &self,
        campaign_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<persona::Model>>, DbErr> {
        if campaign_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = self.sql();
        let text = format!(
            "SELECT {} FROM \"campaign_personas\" WHERE \"campaign_personas\".\"tenant_id\" = {} \
             AND \"campaign_personas\".\"campaign_id\" IN ({})",
            self.campaign_link_columns,
            sql.bind(self.tenant_id),
            sql.bind_all(campaign_ids),
        );
        let links: Vec<(Uuid, Uuid)> = campaign_persona::Entity::find()
            .from_raw_sql(sql.statement(text))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|link| (link.campaign_id, link.persona_id))
            .collect();
        self.group_personas(&links).await
    }

    /// `store::persona::group_linked`: reads the linked personas in one statement and groups
    /// them by owner, sorted by id.
    async fn group_personas(
        &self,
        links: &[(Uuid, Uuid)],
    ) -> Result<HashMap<Uuid, Vec<persona::Model>>, DbErr> {
        let mut persona_ids: Vec<Uuid> = links.iter().map(|(_, persona)| *persona).collect();
        persona_ids.sort_unstable();
        persona_ids.dedup();
        if persona_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = self.sql();
        let text = format!(
            "SELECT {} FROM \"personas\" WHERE \"personas\".\"tenant_id\" = {} \
             AND \"personas\".\"id\" IN ({})",
            self.persona_columns,
            sql.bind(self.tenant_id),
            sql.bind_all(&persona_ids),
        );
        let personas: HashMap<Uuid, persona::Model> = persona::Entity::find()
            .from_raw_sql(sql.statement(text))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|persona| (persona.id, persona))
            .collect();
        let mut grouped: HashMap<Uuid, Vec<persona::Model>> = HashMap::new();
        for (owner, persona_id) in links {
            if let Some(persona) = personas.get(persona_id) {
                grouped.entry(*owner).or_default().push(persona.clone());
            }
        }
        for list in grouped.values_mut() {
            list.sort_by_key(|persona| persona.id);
        }
        Ok(grouped)
    }
}
