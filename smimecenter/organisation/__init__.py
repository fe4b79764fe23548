"""What an organisation adds to its own copy of the site: reading lists, share links, branding, roots, notes."""
