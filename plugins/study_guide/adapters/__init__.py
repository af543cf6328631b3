"""The ways into the core: each adapter is one folder, and a new generator is one new folder."""
