/* test_static.c — content types of front-end files: by extension, any
 * case, and anything unknown served as a download rather than sniffed. */
#include <criterion/criterion.h>

#include "http/static.h"

Test(static_files, content_type_by_extension)
{
	struct {
		const char *path, *type;
	} cases[] = {
		{"index.html", "text/html; charset=utf-8"},
		{"entry/index.HTML", "text/html; charset=utf-8"},
		{"ui/app.css", "text/css; charset=utf-8"},
		{"ui/app.js", "text/javascript; charset=utf-8"},
		{"ui/mod.mjs", "text/javascript; charset=utf-8"},
		{"i18n/ja.json", "application/json; charset=utf-8"},
		{"img/logo.svg", "image/svg+xml"},
		{"img/a.png", "image/png"},
		{"img/a.JPG", "image/jpeg"},
		{"img/a.jpeg", "image/jpeg"},
		{"img/a.webp", "image/webp"},
		{"favicon.ico", "image/x-icon"},
		{"fonts/noto.woff2", "font/woff2"},
		{"robots.txt", "text/plain; charset=utf-8"},
		{"manifest.webmanifest", "application/manifest+json"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_str_eq(recam_static_content_type(cases[i].path), cases[i].type, "%s", cases[i].path);
}

Test(static_files, unknown_or_missing_extensions_are_downloads)
{
	const char *paths[] = {"README", "archive.tar.gz", "x.exe", "a.html.bak", "dir.html/file", "x.", "x.htm",
			       "x.php", "x.shtml", ""};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		cr_assert_str_eq(recam_static_content_type(paths[i]), "application/octet-stream", "'%s'", paths[i]);
}
