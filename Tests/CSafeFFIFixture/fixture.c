int fixture_dummy(void){return 0;}
