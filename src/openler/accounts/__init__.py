"""Accounts: sign-up, sign-in, sessions, passkeys, organizations and roles."""
