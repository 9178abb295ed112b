"""Who may see, import, undo and approve: accounts, roles scoped to units, approvals, and the
audit trail of every write. Decided here, for the pages and the command line alike."""
