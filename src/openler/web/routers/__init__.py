"""One router per area: home, auth (sign in/up/out, passkey sign-in), account, orgs."""
