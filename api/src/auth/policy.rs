//! The one place access is decided: which role may do what.

use super::{AuthError, Role};

/// Something a caller may be allowed to do within its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the plan and everything in it, and the KPI catalogue.
    ReadPlan,
    /// Create and change plans, personas, campaigns and objectives.
    EditPlan,
    /// Delete anything of the plan.
    DeletePlan,
}

/// The least role that holds each permission.
fn least_role(permission: Permission) -> Role {
    match permission {
        Permission::ReadPlan => Role::Viewer,
        Permission::EditPlan => Role::Editor,
        Permission::DeletePlan => Role::Admin,
    }
}

/// Allows `permission` to `role`, or says why not.
pub fn authorize(role: Role, permission: Permission) -> Result<(), AuthError> {
    let needed = least_role(permission);
    if role >= needed {
        Ok(())
    } else {
        Err(AuthError::Forbidden(format!(
            "this needs the {needed} role; the caller is {role}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_only_read() {
        assert!(authorize(Role::Viewer, Permission::ReadPlan).is_ok());
        assert!(authorize(Role::Viewer, Permission::EditPlan).is_err());
        assert!(authorize(Role::Viewer, Permission::DeletePlan).is_err());
    }

    #[test]
    fn editors_write_but_do_not_delete() {
        assert!(authorize(Role::Editor, Permission::ReadPlan).is_ok());
        assert!(authorize(Role::Editor, Permission::EditPlan).is_ok());
        assert!(authorize(Role::Editor, Permission::DeletePlan).is_err());
    }

    #[test]
    fn admins_do_everything() {
        for permission in [
            Permission::ReadPlan,
            Permission::EditPlan,
            Permission::DeletePlan,
        ] {
            assert!(authorize(Role::Admin, permission).is_ok());
        }
    }
}
