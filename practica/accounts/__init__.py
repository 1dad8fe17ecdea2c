"""Users, their memberships of organisations with a role, invitations and the permission rules."""
