/* confirm: the confirmation step (confirm.h). */
#include <string.h>

#include "confirm.h"
#include "util.h"

struct json_object *
confirm_row(struct json_object *list, long long id)
{
	struct json_object *o, *v;
	size_t i;

	for (i = 0; list && i < json_object_array_length(list); i++) {
		o = json_object_array_get_idx(list, i);
		if (json_object_object_get_ex(o, "id", &v) &&
		    json_object_get_int64(v) == id)
			return o;
	}
	return NULL;
}

const char *
confirm_str(struct json_object *row, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(row, key, &v) ?
	    json_object_get_string(v) : "";
}

int
confirm_given(const struct req *r)
{
	return str_eq(req_form(r, "confirm"), "1");
}

int
confirm_page(struct req *r, const struct confirm *cf)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "title", cf->question);
	ctx_str(c, "consequence", cf->consequence);
	ctx_str(c, "button", cf->button);
	ctx_str(c, "action", r->path);
	ctx_str(c, "cancel", url_is_local(cf->cancel) ? cf->cancel : "/");
	return page(r, 200, "confirm", c);
}
