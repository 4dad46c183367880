# bench/csv.awk - read hvb1 CSV (docs/csv-format.md) in awk: one splitter for
# the scripts that need fields of our result files (bench/fidelity.sh,
# tests/e2e/bench_net.sh), so quoting is handled the same everywhere.
#
# Load it before the program that uses it; POSIX awk (mawk too) takes either
# -f files or program text, not both, so the program comes as a second -f:
#   awk -v x=... -f "$TOP/bench/csv.awk" -f /dev/stdin FILE <<'EOF'
#   r[col["status"]] == "ok" { print r[col["value"]] }
#   EOF
#
# It provides:
#   split_csv(line, out)  splits one line into out[1..n] (RFC 4180: fields
#                         in double quotes may hold commas, "" is a quote)
#                         and returns n;
#   col[name]             the column number of each header name, set from
#                         the first line of each file, which no later rule
#                         sees;
#   r[col[name]]          the fields of the current data line, split before
#                         the program's own rules run.
# It works line by line: a quoted field that holds a line break (RFC 4180
# allows it) is not joined with the next line, and a CR of a CRLF line end
# stays in the last field (as in the two copies this replaces).

function split_csv(line, out,    n, i, c, f, q) {
	n = 0; f = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
			} else f = f c
		} else if (c == "\"") q = 1
		else if (c == ",") { out[++n] = f; f = "" }
		else f = f c
	}
	out[++n] = f
	return n
}

FNR == 1 { ncol_ = split_csv($0, h_); for (i_ = 1; i_ <= ncol_; i_++) col[h_[i_]] = i_; next }
{ split_csv($0, r) }
