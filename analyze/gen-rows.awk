# gen-rows.awk - the generated campaign of `make bench-analyze` and
# `make bench-scale` (rows family): 5 environments x 20 metrics x n samples,
# normal around a mean that falls 3 % per environment, 2 % sd; seed 1, so the
# same n gives the same file byte for byte.
#   awk -v n=10000 -f analyze/gen-rows.awk > campaign.csv
BEGIN {
	srand(1)
	print "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
	split("host kvm vbox vmware docker", envs, " ")
	split("none kvm virtualbox vmware none", virt, " ")
	split("none none none none docker", ctr, " ")
	split("cpubench membench iobench netbench forkbench", bench, " ")
	for (e = 1; e <= 5; e++) for (m = 1; m <= 20; m++) {
		b = bench[(m - 1) % 5 + 1]
		mean = 1000 * m * (1 - 0.03 * (e - 1)); sd = mean * 0.02
		better = m % 2 ? "higher" : "lower"
		for (r = 1; r <= n; r++) {
			# Box-Muller normal sample
			u1 = rand(); if (u1 < 1e-12) u1 = 1e-12
			v = mean + sd * sqrt(-2 * log(u1)) * cos(6.283185307179586 * rand())
			printf "hvb1,%s-1795305079-%d,2026-11-21T23:%02d:%02dZ,%s,%s,%s,%s,%s,threads=1;size=%d,metric%02d_per_s,1/s,%s,%d,%.10g,ok,\n", \
				envs[e], 4000 + e, int(r / 600) % 60, int(r / 10) % 60, envs[e], virt[e], ctr[e], envs[e], b, m, m, better, r, v
		}
	}
}
