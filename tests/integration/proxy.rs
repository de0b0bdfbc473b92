//! A TCP proxy in front of the PostgreSQL server, which a test switches between forwarding,
//! refusing and swallowing connections: an outage (`outages`), or a database that comes up
//! after the server (`startup`), without stopping the real server.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
};

use tokio::{
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// What the proxy does with connections.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    /// Forwards them to the database.
    Forward,
    /// Closes each new connection at once, as a stopped server's host would refuse it.
    Refuse,
    /// Accepts new connections and never answers, as an unreachable host would.
    Swallow,
}

/// A TCP proxy in front of the PostgreSQL server.
pub struct Proxy {
    /// Where the proxy listens.
    pub address: SocketAddr,
    mode: Arc<AtomicU8>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accepting: JoinHandle<()>,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mode = Arc::new(AtomicU8::new(Mode::Forward as u8));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accepting = tokio::spawn({
            let mode = mode.clone();
            let connections = connections.clone();
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    let mode = mode.load(Ordering::SeqCst);
                    let connection = if mode == Mode::Forward as u8 {
                        tokio::spawn(async move {
                            if let Ok(mut server) = TcpStream::connect(target).await {
                                let _ =
                                    tokio::io::copy_bidirectional(&mut client, &mut server).await;
                            }
                        })
                    } else if mode == Mode::Swallow as u8 {
                        tokio::spawn(async move {
                            let _held = client;
                            std::future::pending::<()>().await;
                        })
                    } else {
                        drop(client);
                        continue;
                    };
                    connections.lock().unwrap().push(connection);
                }
            }
        });
        Self {
            address,
            mode,
            connections,
            accepting,
        }
    }

    /// A proxy in front of the server of `database_url` (a fresh database's), forwarding, and
    /// the same URL through the proxy.
    pub async fn in_front_of(database_url: &str) -> (Self, String) {
        let mut url = reqwest::Url::parse(database_url).unwrap();
        let target = SocketAddr::new(
            url.host_str().unwrap().parse().unwrap(),
            url.port().unwrap_or(5432),
        );
        let proxy = Self::start(target).await;
        url.set_port(Some(proxy.address.port())).unwrap();
        (proxy, url.to_string())
    }

    /// Switches the mode; leaving `Forward` closes every open connection.
    pub fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
        if mode != Mode::Forward {
            self.close_open_connections();
        }
    }

    /// Closes every open connection and goes on in the same mode: what a restarted server, or
    /// a firewall forgetting idle connections, leaves a pool holding.
    pub fn close_open_connections(&self) {
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accepting.abort();
        self.set(Mode::Refuse);
    }
}
