//! Opening the listen sockets of `LEVIER_BIND`: its host resolved (a name may stand for several
//! addresses: `localhost` for `127.0.0.1` and `::1` where both are configured, and a client may
//! try either, so every one is listened on), each address bound, and a refusal turned into a
//! message that says what to do.

use std::{
    io,
    net::{SocketAddr, TcpListener, ToSocketAddrs},
};

use thiserror::Error;

use crate::config::BindAddress;

/// The sockets the server listens on.
#[derive(Debug)]
pub struct Listeners {
    /// One per address, in the resolver's order.
    pub sockets: Vec<TcpListener>,
}

impl Listeners {
    /// The addresses actually bound (with the port chosen for a port 0).
    pub fn addresses(&self) -> Vec<SocketAddr> {
        self.sockets
            .iter()
            .filter_map(|socket| socket.local_addr().ok())
            .collect()
    }
}

/// Why the server cannot listen where `LEVIER_BIND` says.
#[derive(Debug, Error)]
pub enum ListenError {
    /// The host name does not resolve.
    #[error(
        "LEVIER_BIND: cannot resolve `{host}`: {cause}; use an IP address or a name this machine resolves"
    )]
    Unresolved {
        /// The host name.
        host: String,
        /// The resolver's answer.
        cause: String,
    },
    /// Another process listens on the port.
    #[error(
        "port {port} on {ip} is already in use: another levier? set LEVIER_BIND to a free port"
    )]
    InUse {
        /// The address.
        ip: std::net::IpAddr,
        /// The port.
        port: u16,
    },
    /// The address is not one of this machine's.
    #[error("cannot listen on {address}: it is not an address of this machine; set LEVIER_BIND")]
    NotLocal {
        /// The address.
        address: SocketAddr,
    },
    /// A privileged port without the privilege.
    #[error(
        "cannot listen on {address}: permission denied (ports below 1024 need privileges); set LEVIER_BIND to a port above 1023"
    )]
    Denied {
        /// The address.
        address: SocketAddr,
    },
    /// Anything else the system refused.
    #[error("cannot listen on {address}: {cause}")]
    Other {
        /// The address.
        address: SocketAddr,
        /// The system's error.
        cause: io::Error,
    },
}

/// Resolves `bind` and listens on each of its addresses. An address of the name that this
/// machine does not have (`::1` with IPv6 turned off) is skipped with a warning as long as
/// another one is bound; any other refusal fails the whole. With port 0, the first address
/// gets a free port and the others the same one, so that the name reaches one server.
pub fn bind(bind: &BindAddress) -> Result<Listeners, ListenError> {
    let addresses = resolve(bind)?;
    let mut sockets: Vec<TcpListener> = Vec::with_capacity(addresses.len());
    let mut skipped = Vec::new();
    for mut address in addresses {
        if address.port() == 0
            && let Some(port) = sockets
                .first()
                .and_then(|first| first.local_addr().ok())
                .map(|bound| bound.port())
        {
            address.set_port(port);
        }
        match TcpListener::bind(address) {
            Ok(socket) => sockets.push(socket),
            Err(error) => match explain(address, error) {
                ListenError::NotLocal { address } => skipped.push(address),
                refused => return Err(refused),
            },
        }
    }
    match skipped.first() {
        Some(&address) if sockets.is_empty() => Err(ListenError::NotLocal { address }),
        _ => {
            for address in skipped {
                tracing::warn!(%address, "`{bind}` resolves to an address this machine does not have: not listening there");
            }
            Ok(Listeners { sockets })
        }
    }
}

/// Every address `bind` stands for, each once, in the resolver's order.
fn resolve(bind: &BindAddress) -> Result<Vec<SocketAddr>, ListenError> {
    let unresolved = |cause: String| ListenError::Unresolved {
        host: bind.host.clone(),
        cause,
    };
    let mut addresses: Vec<SocketAddr> = Vec::new();
    for address in (bind.host.as_str(), bind.port)
        .to_socket_addrs()
        .map_err(|error| unresolved(error.to_string()))?
    {
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    if addresses.is_empty() {
        return Err(unresolved("no address".to_owned()));
    }
    Ok(addresses)
}

/// The refusal to bind `address`, by the system's error kind.
fn explain(address: SocketAddr, cause: io::Error) -> ListenError {
    match cause.kind() {
        io::ErrorKind::AddrInUse => ListenError::InUse {
            ip: address.ip(),
            port: address.port(),
        },
        io::ErrorKind::AddrNotAvailable => ListenError::NotLocal { address },
        io::ErrorKind::PermissionDenied => ListenError::Denied { address },
        _ => ListenError::Other { address, cause },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(host: &str, port: u16) -> BindAddress {
        BindAddress {
            host: host.to_owned(),
            port,
        }
    }

    #[test]
    fn localhost_is_bound_on_every_address_it_resolves_to_with_one_port() {
        let listeners = bind(&address("localhost", 0)).unwrap_or_else(|e| panic!("{e}"));
        let bound = listeners.addresses();
        let resolved = resolve(&address("localhost", 0)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!bound.is_empty());
        assert!(bound.len() <= resolved.len());
        for socket in &bound {
            assert!(socket.ip().is_loopback(), "{socket}");
            assert_eq!(socket.port(), bound[0].port());
            assert_ne!(socket.port(), 0);
        }
    }

    #[test]
    fn a_port_in_use_is_named_with_its_address() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = taken.local_addr().map(|a| a.port()).unwrap_or_default();
        let error = bind(&address("127.0.0.1", port)).err();
        assert_eq!(
            error.map(|e| e.to_string()),
            Some(format!(
                "port {port} on 127.0.0.1 is already in use: another levier? set LEVIER_BIND to a free port"
            ))
        );
    }

    #[test]
    fn an_unknown_name_and_a_foreign_address_are_refused() {
        let unknown = bind(&address("no-such-host.invalid", 8080)).err();
        assert!(
            matches!(&unknown, Some(ListenError::Unresolved { host, .. }) if host == "no-such-host.invalid"),
            "{unknown:?}"
        );
        // TEST-NET-1 (RFC 5737): never an address of this machine.
        let foreign = bind(&address("192.0.2.1", 0)).err();
        assert!(
            matches!(foreign, Some(ListenError::NotLocal { .. })),
            "{foreign:?}"
        );
    }
}
