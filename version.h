/* The one place the suite's version lives; everything else reads it from here. */
#ifndef HVB_VERSION_H
#define HVB_VERSION_H
#define HVB_VERSION "0.1.0"
#define HVB_SCHEMA "hvb1"
#endif
