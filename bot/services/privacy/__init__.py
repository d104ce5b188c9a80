"""Privacy: /forget_me, retention of personal data, the audit trail."""
