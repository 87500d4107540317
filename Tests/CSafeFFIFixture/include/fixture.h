int fixture_dummy(void);
