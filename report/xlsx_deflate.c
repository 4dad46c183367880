/*
 * xlsx_deflate.c - the workbook's deflate level.
 *
 * libxlsxwriter (1.1.4, Debian) deflates every part of the workbook at
 * zlib's default level, 6, and has no option to change it.  For the
 * Samples sheet (100,000 rows by default: 73 MB of XML on a 1,000,000-row
 * campaign) that deflate was about 0.8 s of a 2.7-3.1 s --xlsx run.  zlib's
 * levels 1-3 (its "fast" strategy) took 0.5-0.9 s less on the same input
 * and made the file 8-17 % larger (6.1 MB at 6; 7.1, 6.9, 6.6 MB at 1, 2,
 * 3); the times of 1, 2 and 3 were within run-to-run noise of each other.
 * We use 2: a ZIP reader sees it (general-purpose flag bit 2, "fast";
 * level 3 carries no flag), so tests and users can tell which level wrote
 * a workbook.  Figures: docs/report.md, "the workbook's deflate level".
 *
 * How: Debian's libxlsxwriter calls minizip's zipOpenNewFileInZip4_64()
 * from the shared libminizip.so.1 once per part.  This definition, in the
 * executable, comes first in the dynamic linker's search order, so the
 * library's call lands here; it passes every argument on to minizip's own
 * function (dlsym(RTLD_NEXT)) with the level changed for deflated parts.
 * The prototype is minizip's header's, so the compiler checks it.  Where
 * the library does not reach minizip through this symbol (a build with its
 * bundled copy of minizip), nothing lands here and the workbook is written
 * at level 6: slower, never different in content.  Only the deflate level
 * changes; the parts' bytes once inflated are the same.
 */
#include <dlfcn.h>
#include <minizip/zip.h>
#include <zlib.h>
#include "rint.h"

#define XLSX_DEFLATE_LEVEL 2

/* minizip's own function has the header's prototype: the pointer's type is
 * taken from the declaration, not written again. */
typedef __typeof__(zipOpenNewFileInZip4_64) *open_fn;

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
			    const void *extrafield_local, uInt size_extrafield_local,
			    const void *extrafield_global, uInt size_extrafield_global, const char *comment,
			    int method, int level, int raw, int windowBits, int memLevel, int strategy,
			    const char *password, uLong crcForCrypting, uLong versionMadeBy, uLong flagBase,
			    int zip64)
{
	static open_fn real;
	if (!real) {
		real = (open_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
		if (!real) {
			rlog("xlsx: minizip's zipOpenNewFileInZip4_64 not found: %s", dlerror());
			return ZIP_INTERNALERROR;
		}
	}
	if (method == Z_DEFLATED && !raw)
		level = XLSX_DEFLATE_LEVEL;
	return real(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
		    size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy, password,
		    crcForCrypting, versionMadeBy, flagBase, zip64);
}
