/*
 * arch.c - environments of different CPU architectures.
 *
 * Every run writes its architecture in-band (the info row `arch`, uname -m:
 * x86_64, aarch64).  A ratio between two architectures is not a hypervisor's
 * overhead: it measures the other instruction set, its compiler output and,
 * for an emulated guest (an arm64 TCG guest on an x86 host), the emulator.
 * Two consequences, one function each:
 *   az_arch_baselines  (compare.c, after the per-machine baselines): an
 *                      environment whose baseline is of another architecture
 *                      takes the bare-metal environment of its own machine
 *                      and architecture instead, where there is one: a
 *                      baseline never mixes architectures when it need not;
 *   az_arch_warnings   (warn.c): each environment still compared with a
 *                      baseline of another architecture gets a warning of
 *                      kind "arch" beside its figures, naming both rows.
 * An environment without an arch row (older files, imports) is never
 * judged: nothing is known.
 */
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

/* Each environment's first arch info row (NULL: none), an array of nenvs. */
static const az_row **arch_rows(hvb_model *m)
{
	const az_row **first = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *first);
	const az_priv *pv = az_priv_of(m);
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		if (r->sh->st == AZ_ST_INFO && strcmp(r->sh->metric, "arch") == 0 && r->note &&
		    *r->note && r->sh->env_idx < m->nenvs && !first[r->sh->env_idx])
			first[r->sh->env_idx] = r;
	}
	return first;
}

static int same_arch(const az_row *a, const az_row *b)
{
	return !a || !b || strcmp(a->note, b->note) == 0;
}

static int same_machine(const hvb_env *a, const hvb_env *b)
{
	return a->machine && b->machine ? strcmp(a->machine, b->machine) == 0 : a->machine == b->machine;
}

static int named_host(const hvb_env *e)
{
	return strcmp(e->name, "host") == 0 || strcmp(e->name, "native") == 0;
}

/* compare.c's rule for a bare-metal env, among those of e's machine and
 * architecture: virt=none and container=none (one named host/native
 * first), else one named host/native; (size_t)-1 when none. */
static size_t same_arch_base(const hvb_model *m, const az_row **arch, size_t e)
{
	size_t bare = (size_t)-1, named = (size_t)-1;
	for (size_t c = 0; c < m->nenvs; c++) {
		const hvb_env *v = &m->envs[c];
		if (!arch[c] || strcmp(arch[c]->note, arch[e]->note) != 0 ||
		    !same_machine(v, &m->envs[e]))
			continue;
		int is_bare = v->virt && v->container && strcmp(v->virt, "none") == 0 &&
			      strcmp(v->container, "none") == 0;
		if (is_bare && (bare == (size_t)-1 || (named_host(v) && !named_host(&m->envs[bare]))))
			bare = c;
		if (named_host(v) && named == (size_t)-1)
			named = c;
	}
	return bare != (size_t)-1 ? bare : named;
}

void az_arch_baselines(hvb_model *m)
{
	const az_row **arch = arch_rows(m);
	for (size_t e = 0; e < m->nenvs; e++) {
		size_t b = m->envs[e].base_idx;
		if (b >= m->nenvs || !arch[e] || same_arch(arch[e], arch[b]))
			continue;
		size_t c = same_arch_base(m, arch, e);
		if (c == (size_t)-1)
			continue;
		m->envs[e].base_idx = c;
		m->envs[c].is_baseline = 1;
	}
	free(arch);
}

void az_arch_warnings(hvb_model *m)
{
	const az_row **arch = arch_rows(m);
	for (size_t e = 0; e < m->nenvs; e++) {
		size_t b = m->envs[e].base_idx;
		if (b >= m->nenvs || b == e || same_arch(arch[e], arch[b]))
			continue;
		const az_row *x = arch[e], *y = arch[b];
		az_add_warning(m, "arch", m->envs[e].name,
			xasprintf("%s is %s, its baseline %s is %s: a cross-architecture ratio is not a "
				     "hypervisor's overhead (it measures another instruction set and, for "
				     "an emulated guest, the emulator)", m->envs[e].name, x->note,
				     m->envs[b].name, y->note),
			xasprintf("arch info rows %s:%ld and %s:%ld", x->sh->file, (long)x->line,
				     y->sh->file, (long)y->line));
		m->warnings[m->nwarnings - 1].touches_score = 1;
	}
	free(arch);
}
