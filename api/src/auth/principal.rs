//! Turning a request's credentials into a [`Principal`]: who calls, for which tenant, as what.
//! A bearer token is either a JWT (a user, with a role; or a token granted by a share link), an
//! API key (`lvk_…`, with scopes), or a share link's secret (`lvs_…`, reading one plan).

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use entity::api_key_enums::ApiKeyScope;
use sea_orm::DatabaseConnection;
use tokio::sync::RwLock;
use uuid::Uuid;

use super::{
    AuthError, Claims, Role, api_key, claims::is_valid_tenant_key, jwt::Verifier, share_link,
};
use crate::store;

/// What a principal was granted: a user's role, or an API key's scopes. The policy
/// ([`super::policy`]) turns either into permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// A user authenticated by a JWT, with a role in the tenant.
    Role(Role),
    /// An API key, with the scopes it was created with.
    ApiKey {
        /// The key's id (in the principal's tenant).
        id: Uuid,
        /// The key's scopes.
        scopes: Vec<ApiKeyScope>,
    },
    /// The holder of a share link (its secret, or a token it granted): reads one plan, nothing
    /// else. The session binds such a caller's scope to the plan.
    SharedPlan {
        /// The link's id (in the principal's tenant).
        link_id: Uuid,
        /// The one plan it opens.
        plan_id: Uuid,
    },
}

/// A verified caller within one tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token's subject, or `api-key:<prefix>` for an API key.
    pub subject: String,
    /// The tenant's key.
    pub tenant_key: String,
    /// The tenant's id.
    pub tenant_id: Uuid,
    /// What the caller may do in that tenant.
    pub grant: Grant,
    /// The first instant the credential is refused, if it ever is: a token's expiry (with the
    /// tolerated clock skew), an API key's `expiresAt`. A connection that outlives its request
    /// (a WebSocket) ends then.
    pub valid_until: Option<DateTime<Utc>>,
    /// Whether the credential was an agency token (one naming its tenants in the `tenants`
    /// claim rather than one `tid`): the audit trail records it.
    pub agency: bool,
}

/// Picks the tenant and role a token grants for this request.
pub fn tenant_and_role(
    claims: &Claims,
    requested_tenant: Option<&str>,
) -> Result<(String, Role), AuthError> {
    let parse_role = |role: &str| role.parse::<Role>().map_err(AuthError::Unauthenticated);
    let (tenant, role) = match (&claims.tid, &claims.tenants) {
        (Some(tid), _) => {
            if let Some(requested) = requested_tenant
                && requested != tid
            {
                return Err(AuthError::Forbidden(format!(
                    "this token does not grant access to tenant `{requested}`"
                )));
            }
            let role = claims
                .role
                .as_deref()
                .ok_or_else(|| AuthError::Unauthenticated("token lacks the role claim".into()))?;
            (tid.clone(), parse_role(role)?)
        }
        (None, Some(tenants)) => match requested_tenant {
            Some(requested) => match tenants.get(requested) {
                Some(role) => (requested.to_owned(), parse_role(role)?),
                None => {
                    return Err(AuthError::Forbidden(format!(
                        "this token does not grant access to tenant `{requested}`"
                    )));
                }
            },
            None if tenants.len() == 1 => match tenants.iter().next() {
                Some((tenant, role)) => (tenant.clone(), parse_role(role)?),
                None => return Err(AuthError::Unauthenticated("token grants no tenant".into())),
            },
            None => {
                return Err(AuthError::Unauthenticated(
                    "this token grants several tenants: choose one with the X-Levier-Tenant header"
                        .into(),
                ));
            }
        },
        (None, None) => {
            return Err(AuthError::Unauthenticated(
                "token names no tenant (tid or tenants)".into(),
            ));
        }
    };
    if !is_valid_tenant_key(&tenant) {
        return Err(AuthError::Unauthenticated(format!(
            "`{tenant}` is not a valid tenant key"
        )));
    }
    Ok((tenant, role))
}

/// Resolves credentials into principals, creating tenants on first use and remembering their
/// ids so that a JWT-authenticated request costs no SQL once its tenant is known. Nothing about
/// API keys is remembered: each use reads the key's row, so a revoked key stops at once.
#[derive(Clone)]
pub struct Authenticator {
    verifier: Verifier,
    tenant_ids: Arc<RwLock<HashMap<String, Uuid>>>,
}

/// Failure of [`Authenticator::authenticate`]: refused, or the database failed.
#[derive(Debug)]
pub enum AuthenticateError {
    /// The credential was refused.
    Refused(AuthError),
    /// The tenant (or the API key) could not be read or written.
    Store(store::StoreError),
}

impl Authenticator {
    /// An authenticator verifying with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            tenant_ids: Arc::default(),
        }
    }

    /// The token verifier (which also signs the tokens share links grant).
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Verifies a bearer token (a JWT, an API key or a share link) and resolves its tenant.
    pub async fn authenticate(
        &self,
        db: &DatabaseConnection,
        bearer_token: &str,
        requested_tenant: Option<&str>,
    ) -> Result<Principal, AuthenticateError> {
        if api_key::is_api_key(bearer_token) {
            return authenticate_api_key(db, bearer_token, requested_tenant).await;
        }
        if share_link::is_share_link(bearer_token) {
            let link = find_share_link(db, bearer_token).await?;
            if !link.scope.opens_api() {
                return Err(AuthenticateError::Refused(AuthError::Forbidden(
                    "this share link opens the plan's document only".into(),
                )));
            }
            return shared_plan_principal(db, link, None, requested_tenant).await;
        }
        let (claims, share) = self
            .verifier
            .verify_with_share(bearer_token)
            .map_err(AuthenticateError::Refused)?;
        if let Some(share) = share {
            return self
                .authenticate_share_token(db, claims, share, requested_tenant)
                .await;
        }
        let (tenant_key, role) =
            tenant_and_role(&claims, requested_tenant).map_err(AuthenticateError::Refused)?;
        let tenant_id = self
            .tenant_id(db, &tenant_key)
            .await
            .map_err(AuthenticateError::Store)?;
        let agency = claims.tid.is_none() && claims.tenants.is_some();
        Ok(Principal {
            valid_until: self.verifier.refuses_from(&claims),
            subject: claims.sub,
            tenant_key,
            tenant_id,
            grant: Grant::Role(role),
            agency,
        })
    }

    /// A token granted by a share link: accepted while the link stands (read again now, so
    /// that revoking the link stops its tokens at once) and only for the link's tenant and plan.
    async fn authenticate_share_token(
        &self,
        db: &DatabaseConnection,
        claims: Claims,
        share: share_link::ShareClaims,
        requested_tenant: Option<&str>,
    ) -> Result<Principal, AuthenticateError> {
        let refused =
            |reason: &str| AuthenticateError::Refused(AuthError::Unauthenticated(reason.into()));
        let tenant_key = claims
            .tid
            .as_deref()
            .ok_or_else(|| refused("invalid token"))?;
        if !is_valid_tenant_key(tenant_key) {
            return Err(refused("invalid token"));
        }
        let tenant_id = self
            .tenant_id(db, tenant_key)
            .await
            .map_err(AuthenticateError::Store)?;
        let link = store::share_link::find_for_authentication(db, tenant_id, share.shl)
            .await
            .map_err(AuthenticateError::Store)?
            .filter(|link| link.plan_id == share.pid && link.scope.opens_api())
            .ok_or_else(|| refused("this share link was revoked"))?;
        check_share_link_standing(&link)?;
        let valid_until = self.verifier.refuses_from(&claims);
        shared_plan_principal(db, link, valid_until, requested_tenant).await
    }

    async fn tenant_id(
        &self,
        db: &DatabaseConnection,
        key: &str,
    ) -> Result<Uuid, store::StoreError> {
        if let Some(id) = self.tenant_ids.read().await.get(key) {
            return Ok(*id);
        }
        let tenant = store::tenant::ensure(db, key).await?;
        self.tenant_ids
            .write()
            .await
            .insert(key.to_owned(), tenant.id);
        Ok(tenant.id)
    }
}

/// Authenticates an API key: found by its prefix, matched by its digest in constant time, and
/// accepted only if neither revoked nor expired. Records its use at most once a minute.
async fn authenticate_api_key(
    db: &DatabaseConnection,
    secret: &str,
    requested_tenant: Option<&str>,
) -> Result<Principal, AuthenticateError> {
    let refused =
        |reason: &str| AuthenticateError::Refused(AuthError::Unauthenticated(reason.into()));
    let prefix = api_key::prefix_of(secret).ok_or_else(|| refused("invalid API key"))?;
    let presented = api_key::digest(secret);
    let key = store::api_key::find_by_prefix(db, prefix)
        .await
        .map_err(AuthenticateError::Store)?
        .into_iter()
        .find(|row| api_key::digest_matches(&row.secret_hash, &presented))
        .ok_or_else(|| refused("invalid API key"))?;
    let now = Utc::now();
    if key.revoked_at.is_some() {
        return Err(refused("this API key was revoked"));
    }
    if key.expires_at.is_some_and(|expires_at| expires_at <= now) {
        return Err(refused("this API key has expired"));
    }
    let tenant = store::tenant::find_by_id(db, key.tenant_id)
        .await
        .map_err(AuthenticateError::Store)?
        .ok_or_else(|| refused("invalid API key"))?;
    if let Some(requested) = requested_tenant
        && requested != tenant.key
    {
        return Err(AuthenticateError::Refused(AuthError::Forbidden(format!(
            "this API key does not grant access to tenant `{requested}`"
        ))));
    }
    store::api_key::record_use(db, key.tenant_id, key.id, now)
        .await
        .map_err(AuthenticateError::Store)?;
    Ok(Principal {
        subject: format!("api-key:{}", key.prefix),
        tenant_key: tenant.key,
        tenant_id: tenant.id,
        grant: Grant::ApiKey {
            id: key.id,
            scopes: key.scopes.0,
        },
        valid_until: key.expires_at,
        agency: false,
    })
}

/// The share link whose secret is `secret`: found by its prefix, matched by its digest in
/// constant time, and accepted only if neither revoked nor expired.
pub async fn find_share_link(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<entity::share_link::Model, AuthenticateError> {
    let refused =
        |reason: &str| AuthenticateError::Refused(AuthError::Unauthenticated(reason.into()));
    let prefix = share_link::prefix_of(secret).ok_or_else(|| refused("invalid share link"))?;
    let presented = api_key::digest(secret);
    let link = store::share_link::find_by_prefix(db, prefix)
        .await
        .map_err(AuthenticateError::Store)?
        .into_iter()
        .find(|row| api_key::digest_matches(&row.secret_hash, &presented))
        .ok_or_else(|| refused("invalid share link"))?;
    check_share_link_standing(&link)?;
    Ok(link)
}

/// Refuses a share link that was revoked or has expired.
fn check_share_link_standing(link: &entity::share_link::Model) -> Result<(), AuthenticateError> {
    let refused =
        |reason: &str| AuthenticateError::Refused(AuthError::Unauthenticated(reason.into()));
    if link.revoked_at.is_some() {
        return Err(refused("this share link was revoked"));
    }
    if link.expires_at <= Utc::now() {
        return Err(refused("this share link has expired"));
    }
    Ok(())
}

/// The principal of a standing share link: its tenant, reading its plan only, until the link
/// expires (or `token_until`, when a token it granted ends sooner). Records the link's use at
/// most once a minute.
pub async fn shared_plan_principal(
    db: &DatabaseConnection,
    link: entity::share_link::Model,
    token_until: Option<DateTime<Utc>>,
    requested_tenant: Option<&str>,
) -> Result<Principal, AuthenticateError> {
    let tenant = store::tenant::find_by_id(db, link.tenant_id)
        .await
        .map_err(AuthenticateError::Store)?
        .ok_or_else(|| {
            AuthenticateError::Refused(AuthError::Unauthenticated("invalid share link".into()))
        })?;
    if let Some(requested) = requested_tenant
        && requested != tenant.key
    {
        return Err(AuthenticateError::Refused(AuthError::Forbidden(format!(
            "this share link does not grant access to tenant `{requested}`"
        ))));
    }
    store::share_link::record_use(db, link.tenant_id, link.id, Utc::now())
        .await
        .map_err(AuthenticateError::Store)?;
    let valid_until = match token_until {
        Some(until) => until.min(link.expires_at),
        None => link.expires_at,
    };
    Ok(Principal {
        subject: format!("{}{}", share_link::SUBJECT_PREFIX, link.prefix),
        tenant_key: tenant.key,
        tenant_id: tenant.id,
        grant: Grant::SharedPlan {
            link_id: link.id,
            plan_id: link.plan_id,
        },
        valid_until: Some(valid_until),
        agency: false,
    })
}

/// Why a credential that was accepted no longer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialEnd {
    /// Its expiry passed.
    Expired,
    /// The API key was revoked (or deleted).
    Revoked,
}

/// Whether the API key `key_id` of `tenant_id`, which authenticated a caller earlier, would
/// still be accepted: `None` if so, why not otherwise. For a long-lived connection that may
/// have missed the announcement of a revocation.
pub async fn api_key_end(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    key_id: Uuid,
) -> Result<Option<CredentialEnd>, store::StoreError> {
    let Some(key) = store::api_key::find_for_authentication(db, tenant_id, key_id).await? else {
        return Ok(Some(CredentialEnd::Revoked));
    };
    Ok(if key.revoked_at.is_some() {
        Some(CredentialEnd::Revoked)
    } else if key
        .expires_at
        .is_some_and(|expires_at| expires_at <= Utc::now())
    {
        Some(CredentialEnd::Expired)
    } else {
        None
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn claims(tid: Option<&str>, role: Option<&str>, tenants: &[(&str, &str)]) -> Claims {
        Claims {
            sub: "alice".into(),
            tid: tid.map(str::to_owned),
            role: role.map(str::to_owned),
            tenants: (!tenants.is_empty()).then(|| {
                tenants
                    .iter()
                    .map(|(t, r)| ((*t).to_owned(), (*r).to_owned()))
                    .collect::<BTreeMap<_, _>>()
            }),
            exp: u64::MAX,
            iat: None,
            nbf: None,
            iss: None,
            aud: None,
        }
    }

    #[test]
    fn a_user_token_grants_its_tenant() {
        assert_eq!(
            tenant_and_role(&claims(Some("acme"), Some("editor"), &[]), None),
            Ok(("acme".into(), Role::Editor))
        );
        assert_eq!(
            tenant_and_role(&claims(Some("acme"), Some("editor"), &[]), Some("acme")),
            Ok(("acme".into(), Role::Editor))
        );
        assert!(matches!(
            tenant_and_role(&claims(Some("acme"), Some("editor"), &[]), Some("globex")),
            Err(AuthError::Forbidden(_))
        ));
    }

    #[test]
    fn an_agency_token_needs_the_header_to_choose() {
        let agency = claims(None, None, &[("acme", "editor"), ("globex", "viewer")]);
        assert_eq!(
            tenant_and_role(&agency, Some("globex")),
            Ok(("globex".into(), Role::Viewer))
        );
        assert!(matches!(
            tenant_and_role(&agency, None),
            Err(AuthError::Unauthenticated(_))
        ));
        assert!(matches!(
            tenant_and_role(&agency, Some("initech")),
            Err(AuthError::Forbidden(_))
        ));
    }

    #[test]
    fn bad_roles_and_keys_are_refused() {
        assert!(tenant_and_role(&claims(Some("acme"), Some("owner"), &[]), None).is_err());
        assert!(tenant_and_role(&claims(Some("ACME"), Some("admin"), &[]), None).is_err());
        assert!(tenant_and_role(&claims(None, None, &[]), None).is_err());
    }
}
