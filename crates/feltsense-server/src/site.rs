//! Where the server is reached: its public address (for the `Host` and
//! `Origin` checks, the cookies and the links it prints) and how.

/// The public address, such as `https://feltsense.example.org`.
#[derive(Debug, Clone)]
pub struct Site {
    /// `https` or `http` (the latter only on loopback, for tests).
    pub scheme: &'static str,
    /// `host[:port]`, as browsers send it in `Host`.
    pub authority: String,
    /// The address comes through a proxy that terminates TLS: the client's
    /// address is the last `X-Forwarded-For` entry.
    pub behind_proxy: bool,
}

impl Site {
    /// Reads `--public-url`. Plain `http://` is accepted only on loopback
    /// (127.0.0.1, localhost, [::1]), where cookies then go without
    /// `Secure` and the `__Host-` prefix, for tests.
    pub fn parse(url: &str) -> Result<Site, String> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, authority) = if let Some(rest) = url.strip_prefix("https://") {
            ("https", rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            ("http", rest)
        } else {
            return Err(format!(
                "'{url}' is not an address the server can be reached at; give it as https://host (or https://host:port)"
            ));
        };
        if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
            return Err(format!(
                "'{url}' should be just https://host or https://host:port, without a path"
            ));
        }
        let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
        if scheme == "http" && !["127.0.0.1", "localhost", "[::1]"].contains(&host) {
            return Err(format!(
                "'{url}' is plain http on a network address; people's passwords would cross the network unencrypted. Use https:// (with --tls-cert and --tls-key, or --behind-proxy)"
            ));
        }
        Ok(Site {
            scheme,
            authority: authority.to_ascii_lowercase(),
            behind_proxy: false,
        })
    }

    pub fn secure(&self) -> bool {
        self.scheme == "https"
    }

    /// `scheme://authority`, as browsers send it in `Origin`.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }

    /// The session cookie's name: `__Host-` prefixed (so it is Secure,
    /// host-only and for the whole site) except over loopback http.
    pub fn cookie(&self, name: &str) -> String {
        if self.secure() {
            format!("__Host-feltsense-{name}")
        } else {
            format!("feltsense-{name}")
        }
    }

    /// A `Set-Cookie` value for `value` (empty: remove the cookie).
    pub fn set_cookie(&self, name: &str, value: &str) -> String {
        let secure = if self.secure() { "; Secure" } else { "" };
        let age = if value.is_empty() { "; Max-Age=0" } else { "" };
        format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}",
            self.cookie(name)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Site;

    #[test]
    fn public_addresses_are_https_or_loopback() {
        let site = Site::parse("https://Feltsense.example.org/").unwrap();
        assert_eq!(site.authority, "feltsense.example.org");
        assert_eq!(site.origin(), "https://feltsense.example.org");
        assert!(site
            .set_cookie("session", "x")
            .starts_with("__Host-feltsense-session=x; Path=/; HttpOnly; SameSite=Lax; Secure"));
        let local = Site::parse("http://127.0.0.1:8443").unwrap();
        assert_eq!(
            local.set_cookie("session", "x"),
            "feltsense-session=x; Path=/; HttpOnly; SameSite=Lax"
        );
        assert!(Site::parse("http://example.org")
            .unwrap_err()
            .contains("unencrypted"));
        assert!(Site::parse("example.org").is_err());
        assert!(Site::parse("https://example.org/app").is_err());
    }
}
