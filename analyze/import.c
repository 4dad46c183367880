/* import.c - placeholder, replaced below */
#include "analyze.h"
int az_import_main(int argc, char **argv) { (void)argc; (void)argv; az_err("import: not yet"); return AZ_EXIT_USAGE; }
