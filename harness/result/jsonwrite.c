/* jsonwrite.c: building JSON for result files (jsonwrite.h). */
#include "jsonwrite.h"

#include <math.h>
#include <stdlib.h>

#include "utf8.h"

int jw_put(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return -1;
    return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

int jw_push(json_t *arr, json_t *v)
{
    if (!v)
        return -1;
    return json_array_append_new(arr, v) == 0 ? 0 : -1;
}

json_t *jw_done(json_t *o, int rc)
{
    if (rc || !o) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *jw_str(const char *s)
{
    json_t *v;
    char *fixed;

    if (!s)
        return json_null();
    v = json_string(s);
    if (v)
        return v;
    fixed = utf8_repair(s);   /* json_string failed: invalid UTF-8 or no memory */
    if (!fixed)
        return NULL;
    v = json_string(fixed);
    free(fixed);
    return v;
}

json_t *jw_real(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *jw_count(uint64_t v)
{
    return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

json_t *jw_u64(uint64_t v)
{
    if (v > (uint64_t)INT64_MAX)
        return NULL;
    return json_integer((json_int_t)v);
}
