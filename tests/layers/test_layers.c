/*
 * The layering check (GNUmakefile, target layers): this program is linked
 * with every object of lib/base, lib/parse, lib/store and lib/domain,
 * whole (--whole-archive), and no object of lib/web. If it links, nothing
 * below the web layer calls into it; a domain file that used a web
 * function would leave an undefined reference here, and one that
 * included a web header would not compile (tests/layers/includes names
 * it first).
 *
 * The tests are what a program without a request relies on: the actor
 * and the permission matrix, which every model function consults.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "actor.h"
#include "authz.h"
#include "kv.h"

static void
test_system_actor_may_nothing(void **state)
{
	struct kvlist rendered = KVLIST_INIT;
	struct actor a;
	int p;

	(void)state;
	actor_system(&a, "demo", &rendered);
	assert_string_equal(a.system, "demo");
	assert_ptr_equal(a.rendered, &rendered);
	assert_int_equal(a.ws_id, 0);
	assert_int_equal(a.user_id, 0);
	assert_null(a.addr);
	for (p = 0; p < P__MAX; p++)
		assert_false(actor_can(&a, (enum perm)p));
	/* Outside a workspace a role means nothing. */
	actor_workspace(&a, 0, NULL, ROLE_ADMIN);
	assert_int_equal(a.role, ROLE_NONE);
	assert_false(actor_can(&a, P_NONE));
}

static void
test_actor_has_its_role(void **state)
{
	struct actor a;
	int p;

	(void)state;
	actor_system(&a, "test", NULL);
	actor_user(&a, 7, "Alan", "alan@example.org");
	actor_workspace(&a, 3, "acme", ROLE_AGENT);
	for (p = 0; p < P__MAX; p++)
		assert_int_equal(actor_can(&a, (enum perm)p),
		    role_can(ROLE_AGENT, (enum perm)p));
	assert_true(actor_can(&a, P_NOTE));
	assert_false(actor_can(&a, P_MEMBERS));
	assert_string_equal(authz_ticket_updated(&a), "t.updated_at");
	actor_workspace(&a, 3, "acme", ROLE_REQUESTER);
	assert_string_equal(authz_ticket_updated(&a), "t.public_updated_at");
}

static void
test_assignable_roles_come_from_the_matrix(void **state)
{
	const char *names[AUTHZ_ROLES];
	const char *sql = AUTHZ_ROLE_IN("m.role");
	int i, marks = 0;

	(void)state;
	authz_roles(P_ASSIGNEE, names);
	assert_null(names[0]);
	assert_string_equal(names[1], "agent");
	assert_string_equal(names[2], "admin");
	for (i = 0; i < AUTHZ_ROLES; i++)
		assert_int_equal(names[i] != NULL,
		    role_can(role_parse(role_name((enum role)(i + 1))),
		    P_ASSIGNEE));
	authz_roles(P_TICKET_CREATE, names);
	for (i = 0; i < AUTHZ_ROLES; i++)
		assert_non_null(names[i]);
	/* One placeholder per role name bound. */
	for (; *sql; sql++)
		marks += *sql == '?';
	assert_int_equal(marks, AUTHZ_ROLES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_actor_may_nothing),
		cmocka_unit_test(test_actor_has_its_role),
		cmocka_unit_test(test_assignable_roles_come_from_the_matrix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
