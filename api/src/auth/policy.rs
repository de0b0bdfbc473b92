//! The one place access is decided: which role, which API-key scope, and what a share link may
//! do.

use entity::api_key_enums::ApiKeyScope;

use super::{AuthError, Role, principal::Grant};

/// Something a caller may be allowed to do within its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the caller's own tenant (its key, name, currency). Every principal holds it.
    ReadTenant,
    /// Read the plan and everything in it.
    ReadPlan,
    /// Read the KPI catalogue: the definitions that objectives and series refer to. Whoever
    /// reads plans or KPIs may read it.
    ReadCatalogue,
    /// Read KPI series and measurements.
    ReadKpis,
    /// Write measurements of KPIs.
    WriteMeasurements,
    /// Create and change plans, personas, campaigns and objectives.
    EditPlan,
    /// Delete anything of the plan.
    DeletePlan,
    /// Create, list and revoke the tenant's API keys.
    ManageApiKeys,
    /// Change the tenant's settings (name, default currency).
    ManageTenant,
    /// Write comments on plans, campaigns, actions and objectives, edit and delete one's own,
    /// resolve and reopen threads. Viewers hold it: reviewers comment on what they cannot edit.
    Comment,
    /// Delete anyone's comment.
    ModerateComments,
    /// Read the tenant's audit trail (`auditEvents`, `history`).
    ReadAudit,
    /// Register, change, enable and delete the tenant's webhook endpoints, and read their
    /// delivery log.
    ManageWebhooks,
}

/// The least role that holds each permission.
fn least_role(permission: Permission) -> Role {
    match permission {
        Permission::ReadTenant
        | Permission::ReadPlan
        | Permission::ReadCatalogue
        | Permission::ReadKpis
        | Permission::Comment => Role::Viewer,
        Permission::WriteMeasurements | Permission::EditPlan => Role::Editor,
        Permission::DeletePlan
        | Permission::ManageApiKeys
        | Permission::ManageTenant
        | Permission::ModerateComments
        | Permission::ReadAudit
        | Permission::ManageWebhooks => Role::Admin,
    }
}

/// The API-key scopes of which any one grants each permission; empty for what no key may ever
/// do.
fn granting_scopes(permission: Permission) -> &'static [ApiKeyScope] {
    match permission {
        Permission::ReadPlan => &[ApiKeyScope::ReadPlans],
        Permission::ReadCatalogue => &[ApiKeyScope::ReadPlans, ApiKeyScope::ReadKpis],
        Permission::ReadKpis => &[ApiKeyScope::ReadKpis],
        Permission::WriteMeasurements => &[ApiKeyScope::WriteMeasurements],
        Permission::ReadTenant
        | Permission::EditPlan
        | Permission::DeletePlan
        | Permission::ManageApiKeys
        | Permission::ManageTenant
        | Permission::Comment
        | Permission::ModerateComments
        | Permission::ReadAudit
        | Permission::ManageWebhooks => &[],
    }
}

/// Allows `permission` to `role`, or says why not.
pub fn authorize_role(role: Role, permission: Permission) -> Result<(), AuthError> {
    let needed = least_role(permission);
    if role >= needed {
        Ok(())
    } else {
        Err(AuthError::Forbidden(format!(
            "this needs the {needed} role; the caller is {role}"
        )))
    }
}

/// Allows `permission` to an API key holding `scopes`, or says why not. Every key reads its own
/// tenant; anything else needs the scope that grants it, and some permissions no key holds.
pub fn authorize_scopes(scopes: &[ApiKeyScope], permission: Permission) -> Result<(), AuthError> {
    if permission == Permission::ReadTenant {
        return Ok(());
    }
    let granting = granting_scopes(permission);
    if granting.iter().any(|scope| scopes.contains(scope)) {
        Ok(())
    } else if granting.is_empty() {
        Err(AuthError::Forbidden(
            "API keys may not do this; sign in as a user".into(),
        ))
    } else {
        let names: Vec<&str> = granting.iter().map(|scope| scope_name(*scope)).collect();
        Err(AuthError::Forbidden(format!(
            "this API key lacks the {} scope",
            names.join(" or ")
        )))
    }
}

/// Allows `permission` to the holder of a share link, or says why not: reading the plan (and
/// the KPI definitions its objectives name), nothing else. Which plan is not decided here: the
/// session hands such a caller a scope bound to the link's plan (`store::Scoped`), so that
/// whatever it reads is of that plan.
pub fn authorize_shared_plan(permission: Permission) -> Result<(), AuthError> {
    match permission {
        Permission::ReadPlan | Permission::ReadCatalogue => Ok(()),
        Permission::ReadTenant
        | Permission::ReadKpis
        | Permission::WriteMeasurements
        | Permission::EditPlan
        | Permission::DeletePlan
        | Permission::ManageApiKeys
        | Permission::ManageTenant
        | Permission::Comment
        | Permission::ModerateComments
        | Permission::ReadAudit
        | Permission::ManageWebhooks => Err(AuthError::Forbidden(
            "a share link only reads its plan".into(),
        )),
    }
}

/// Allows `permission` to whatever the principal was granted, or says why not.
pub fn authorize(grant: &Grant, permission: Permission) -> Result<(), AuthError> {
    match grant {
        Grant::Role(role) => authorize_role(*role, permission),
        Grant::ApiKey { scopes, .. } => authorize_scopes(scopes, permission),
        Grant::SharedPlan { .. } => authorize_shared_plan(permission),
    }
}

/// Allows approving a tenant's plans, or sending them back with changes requested, to a user
/// (never an API key) named in the tenant's `approvers`, or holding at least `approver_role`
/// (when the tenant sets one). The tenant's review settings give both.
pub fn authorize_approver(
    grant: &Grant,
    subject: &str,
    approver_role: Option<Role>,
    approvers: &[String],
) -> Result<(), AuthError> {
    let Grant::Role(role) = grant else {
        return Err(AuthError::Forbidden(
            "API keys may not review plans; sign in as a user".into(),
        ));
    };
    if approvers.iter().any(|approver| approver == subject) {
        return Ok(());
    }
    match approver_role {
        Some(least) if *role >= least => Ok(()),
        Some(least) => Err(AuthError::Forbidden(format!(
            "approving plans needs the {least} role or being named an approver; the caller is {role}"
        ))),
        None => Err(AuthError::Forbidden(
            "only the tenant's named approvers review plans".into(),
        )),
    }
}

/// The scope as the API spells it.
fn scope_name(scope: ApiKeyScope) -> &'static str {
    match scope {
        ApiKeyScope::ReadKpis => "READ_KPIS",
        ApiKeyScope::WriteMeasurements => "WRITE_MEASUREMENTS",
        ApiKeyScope::ReadPlans => "READ_PLANS",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Permission; 11] = [
        Permission::ReadTenant,
        Permission::ReadPlan,
        Permission::ReadCatalogue,
        Permission::ReadKpis,
        Permission::WriteMeasurements,
        Permission::EditPlan,
        Permission::DeletePlan,
        Permission::ManageApiKeys,
        Permission::ManageTenant,
        Permission::Comment,
        Permission::ModerateComments,
    ];

    fn role(role: Role, permission: Permission) -> bool {
        authorize(&Grant::Role(role), permission).is_ok()
    }

    fn key(scopes: &[ApiKeyScope], permission: Permission) -> bool {
        authorize(
            &Grant::ApiKey {
                id: uuid::Uuid::nil(),
                scopes: scopes.to_vec(),
            },
            permission,
        )
        .is_ok()
    }

    #[test]
    fn viewers_only_read() {
        assert!(role(Role::Viewer, Permission::ReadTenant));
        assert!(role(Role::Viewer, Permission::ReadPlan));
        assert!(role(Role::Viewer, Permission::ReadKpis));
        assert!(!role(Role::Viewer, Permission::WriteMeasurements));
        assert!(!role(Role::Viewer, Permission::EditPlan));
        assert!(!role(Role::Viewer, Permission::DeletePlan));
        assert!(!role(Role::Viewer, Permission::ManageApiKeys));
        assert!(!role(Role::Viewer, Permission::ModerateComments));
    }

    #[test]
    fn every_user_comments_but_only_admins_delete_others_comments_and_no_key_comments() {
        for each in [Role::Viewer, Role::Editor, Role::Admin] {
            assert!(role(each, Permission::Comment), "{each:?}");
        }
        assert!(!role(Role::Editor, Permission::ModerateComments));
        assert!(role(Role::Admin, Permission::ModerateComments));
        let every_scope = [
            ApiKeyScope::ReadKpis,
            ApiKeyScope::WriteMeasurements,
            ApiKeyScope::ReadPlans,
        ];
        assert!(!key(&every_scope, Permission::Comment));
        assert!(!key(&every_scope, Permission::ModerateComments));
    }

    #[test]
    fn editors_write_but_do_not_delete_or_manage_keys() {
        assert!(role(Role::Editor, Permission::ReadPlan));
        assert!(role(Role::Editor, Permission::ReadKpis));
        assert!(role(Role::Editor, Permission::WriteMeasurements));
        assert!(role(Role::Editor, Permission::EditPlan));
        assert!(!role(Role::Editor, Permission::DeletePlan));
        assert!(!role(Role::Editor, Permission::ManageApiKeys));
    }

    #[test]
    fn admins_do_everything() {
        for permission in ALL {
            assert!(role(Role::Admin, permission), "{permission:?}");
        }
    }

    #[test]
    fn each_scope_grants_exactly_its_permission() {
        let expected = [
            (ApiKeyScope::ReadPlans, Permission::ReadPlan),
            (ApiKeyScope::ReadKpis, Permission::ReadKpis),
            (
                ApiKeyScope::WriteMeasurements,
                Permission::WriteMeasurements,
            ),
        ];
        for (scope, granted) in expected {
            for permission in ALL {
                // The catalogue is readable by whoever reads plans or KPIs.
                let catalogue = permission == Permission::ReadCatalogue
                    && scope != ApiKeyScope::WriteMeasurements;
                let allowed =
                    permission == granted || permission == Permission::ReadTenant || catalogue;
                assert_eq!(
                    key(&[scope], permission),
                    allowed,
                    "{scope:?} and {permission:?}"
                );
            }
        }
    }

    #[test]
    fn no_key_edits_deletes_or_manages_keys() {
        let every_scope = [
            ApiKeyScope::ReadKpis,
            ApiKeyScope::WriteMeasurements,
            ApiKeyScope::ReadPlans,
        ];
        for permission in [
            Permission::EditPlan,
            Permission::DeletePlan,
            Permission::ManageApiKeys,
        ] {
            assert!(!key(&every_scope, permission), "{permission:?}");
        }
        assert!(key(&every_scope, Permission::ReadPlan));
        assert!(key(&every_scope, Permission::ReadKpis));
        assert!(key(&every_scope, Permission::WriteMeasurements));
    }

    #[test]
    fn approvers_are_a_least_role_or_named_subjects() {
        let approvers = vec!["carol".to_owned()];
        let allowed = |role: Role, subject: &str, least: Option<Role>| {
            authorize_approver(&Grant::Role(role), subject, least, &approvers).is_ok()
        };
        // The default: ADMIN, and whoever is named.
        assert!(allowed(Role::Admin, "alice", Some(Role::Admin)));
        assert!(!allowed(Role::Editor, "bob", Some(Role::Admin)));
        assert!(allowed(Role::Viewer, "carol", Some(Role::Admin)));
        // EDITOR and above.
        assert!(allowed(Role::Editor, "bob", Some(Role::Editor)));
        assert!(!allowed(Role::Viewer, "dave", Some(Role::Editor)));
        // No role: only the names.
        assert!(!allowed(Role::Admin, "alice", None));
        assert!(allowed(Role::Editor, "carol", None));
        let key = Grant::ApiKey {
            id: uuid::Uuid::nil(),
            scopes: vec![ApiKeyScope::ReadPlans],
        };
        assert!(authorize_approver(&key, "carol", Some(Role::Viewer), &approvers).is_err());
    }

    #[test]
    fn a_share_link_only_reads_the_plan() {
        let grant = Grant::SharedPlan {
            link_id: uuid::Uuid::nil(),
            plan_id: uuid::Uuid::nil(),
        };
        for permission in ALL {
            assert_eq!(
                authorize(&grant, permission).is_ok(),
                matches!(permission, Permission::ReadPlan | Permission::ReadCatalogue),
                "{permission:?}"
            );
        }
    }

    #[test]
    fn a_key_without_scopes_reads_only_its_tenant() {
        for permission in ALL {
            assert_eq!(
                key(&[], permission),
                permission == Permission::ReadTenant,
                "{permission:?}"
            );
        }
    }
}
