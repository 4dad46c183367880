/*
 * assets.c - the default template and stylesheet, compiled into the binary
 * from templates/ so an installed `analyze` needs no data files; --template
 * FILE replaces the template at run time.  The build runs from the top of
 * the tree, where the .incbin paths resolve (report/report.mk makes this
 * object depend on both files).
 */
#include "rint.h"

__asm__(
	".section .rodata\n"
	".global report_tmpl_html\n"
	".type report_tmpl_html, @object\n"
	"report_tmpl_html:\n"
	".incbin \"templates/report.html\"\n"
	".byte 0\n"
	".global report_tmpl_css\n"
	".type report_tmpl_css, @object\n"
	"report_tmpl_css:\n"
	".incbin \"templates/report.css\"\n"
	".byte 0\n"
	".previous\n");
