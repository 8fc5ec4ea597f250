"""Administering projects: the services that set projects up and change them (creating, settings,
members), above the packages whose work a change sets going (a schema change restarts the
passage lifecycle in assignment). projects/ itself stays the foundation the others read."""
