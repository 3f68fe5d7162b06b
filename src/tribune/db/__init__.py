"""Storage: the engine and its connection rules, the tables and the migrations."""
