/* Declarations that exercise each rule of safe-ffi-annotate, positive and negative. */
#include <stddef.h>
#include <stdint.h>

typedef struct fixture_key_st FIXTURE_KEY; /* shared: up_ref / free */
typedef struct fixture_db fixture_db;      /* one owner: open / close */
typedef const char *fixture_name;          /* a string behind a typedef */
typedef struct fixture_point { double x, y; } fixture_point;
typedef struct fixture_record { const char *label; int count; } fixture_record;
typedef union fixture_value { int number; const char *text; } fixture_value;
typedef struct fixture_id { unsigned char bytes[20]; } fixture_id;
typedef struct fixture_stream fixture_stream;
typedef struct fixture_iter fixture_iter;
typedef struct { int first, last; } fixture_range; /* complete, with no tag of its own */

/* Bounds. */
uint32_t fixture_checksum(const uint8_t *data, size_t len);                 /* counted_by len */
int fixture_fill(void *buffer, size_t size);                                /* sized_by size */
int fixture_write_items(const void *items, size_t size, size_t nitems);     /* sized_by size * nitems */
int fixture_store(const void *blob, int n, void (*destructor)(void *));     /* sized_by n, escapes */
int fixture_set_dictionary(const uint8_t *dictionary, unsigned dictLength); /* counted_by dictLength */
double fixture_sum_points(int flags, const fixture_point *points, int count); /* counted_by count */
void fixture_random(int N, void *P);                                       /* sized_by N, length first */
int fixture_set_colors(void *palette, const fixture_point *colors, int first, int ncolors); /* counted_by ncolors */
int fixture_draw(const fixture_point *vertices, int num_vertices, const int *indices, int num_indices); /* both */
int fixture_copy_out(uint8_t *dest, size_t *destLen);                      /* length behind a pointer */
int fixture_counts(const int32_t *values, size_t bytes);                   /* ambiguous: bytes or elements */
void fixture_sort(void *base, size_t nmemb, size_t size, int (*compare)(const void *, const void *)); /* nmemb * size */
int fixture_id_ncmp(const fixture_id *a, const fixture_id *b, size_t len); /* ambiguous: len counts hex digits */
fixture_stream *fixture_stream_from_mem(const void *mem, size_t size);     /* sized_by size, kept by the stream */
int fixture_cipher(uint8_t *out, int *outl, const uint8_t *in, int inl);   /* in: counted_by inl; *outl behind */
int fixture_verify(const uint8_t *sigret, size_t siglen, const void *data, size_t dsize); /* siglen; dsize */
int fixture_get_param(const char *key_name, uint8_t *buf, size_t max_buf_sz); /* counted_by max_buf_sz */
int fixture_error_message(char *text, int maxlen);                       /* a destination's capacity */
size_t fixture_strlcpy(char *dst, const char *src, size_t size);          /* dst only: src is a string */
void *fixture_memcpy(void *dst, const void *src, size_t n);               /* both sized_by n */
void *fixture_bsearch(const void *key, const void *base, size_t nmemb, size_t size,
                      int (*compare)(const void *, const void *));        /* base only: nmemb * size */
fixture_stream *fixture_image_from_pixels(void *pixels, int width, int height, int pitch); /* pitch * height, kept */
int fixture_convert(int height, const void *src, int src_pitch, void *dst, int dst_pitch); /* each its pitch */
int fixture_apply(fixture_db *db, int nChangeset, void *pChangeset);     /* sized_by nChangeset */
int fixture_iter_start(fixture_iter **iter, int nData, const void *pData); /* kept by the iterator */
int fixture_patch_from_buffer(fixture_stream **out, const void *buffer, size_t buffer_len); /* kept */
int fixture_merge(fixture_db *db, const fixture_range *ranges, size_t count); /* counted_by count */
int fixture_read_values(fixture_db *db, fixture_value *values, int nvalues); /* a union's array */
long fixture_send(int __fd, const void *__buf, size_t __n, int __flags);  /* sized_by __n: glibc's reserved names */
int fixture_dump_cb(int (*cb)(const void *data, size_t len, void *u), void *u, const void *s, int len); /* s, not u */

/* Not bounds. */
long fixture_debug_callback(fixture_db *db, int oper, const char *argp, size_t len); /* a callback's own arguments */
void fixture_dek_info(char *buf, const char *type, int len, const char *str); /* type is a name, len is str's */
int fixture_text_prefix(const char *text, int maxlen);   /* a maximum on a source, not its extent */
int fixture_strncmp(const char *a, const char *b, size_t n); /* stops at the NUL */
int fixture_db_limit(fixture_db *db, int n);              /* a handle and a number */
const char *fixture_name_key(fixture_name name, int N);   /* an index, not a length */
int fixture_init(const char *version, int stream_size);   /* a size of something else */
int fixture_level(uint8_t *data, int level);              /* not a length's name */
void *fixture_realloc(void *memory, size_t size);         /* the new size, not the old block's */

/* Shared references and what returns them. */
int FIXTURE_KEY_up_ref(FIXTURE_KEY *key);
void FIXTURE_KEY_free(FIXTURE_KEY *key);
FIXTURE_KEY *FIXTURE_KEY_new(void);
FIXTURE_KEY *FIXTURE_KEY_dup(const FIXTURE_KEY *key);
const FIXTURE_KEY *fixture_db_get0_key(const fixture_db *db);
FIXTURE_KEY *fixture_db_get_key(const fixture_db *db);
const FIXTURE_KEY *fixture_db_key(const fixture_db *db); /* const: the caller cannot release it */
FIXTURE_KEY *FIXTURE_KEY_fetch(const char *name);        /* OpenSSL's fetch: a new reference */
FIXTURE_KEY *fixture_read_key(const char *path);         /* read from a file: a new reference */
FIXTURE_KEY *fixture_key_next(const FIXTURE_KEY *key);   /* the next in a chain: borrowed */
/* annotate_fixture.c implements these and the FIXTURE_KEY functions, counting live keys. */
const FIXTURE_KEY *fixture_get0_default_key(void); /* the library's own key: a peek */
void fixture_release_default_key(void);
long fixture_key_live(void);

/* One owner; memory the caller frees; callbacks; variadics; macros. */
int fixture_db_open(const char *path, fixture_db **db);
int fixture_db_close(fixture_db *db);
char *fixture_describe(const fixture_db *db);
void fixture_free(void *memory);
char *fixture_format_into(char *buffer, int n);
int fixture_each(fixture_db *db, int (*visit)(void *context, const char *key), void *context);
int fixture_log(const char *format, ...);
int fixture_vlog(const char *format, __builtin_va_list arguments);
#define fixture_checksum_of(text) fixture_checksum((const uint8_t *)(text), sizeof(text) - 1)
