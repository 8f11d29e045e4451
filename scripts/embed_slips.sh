#!/usr/bin/env bash
# Writes a table of measured recognizer slips (a TSV of "printed<TAB>read<TAB>..."
# lines, '#' starting a comment; made by scripts/kanji_confusions.py) as the C
# array NAME[][2][4] of {read, printed} glyphs and NAME_count. Only pairs of
# 3-byte glyphs (kana, kanji) are kept.
# Usage: scripts/embed_slips.sh SLIPS.tsv NAME
set -euo pipefail
tsv=$1
name=$2
keep='!/^#/ && NF >= 2 && length($1) == 3 && length($2) == 3'
echo "const char ${name}[][2][4] = {"
LC_ALL=C awk -F '\t' "$keep"' { printf "\t{\"%s\", \"%s\"},\n", $2, $1; k++ }
  END { if (k == 0) print "\t{\"\", \"\"}," }' "$tsv"
echo '};'
echo "const size_t ${name}_count = $(LC_ALL=C awk -F '\t' "$keep" "$tsv" | wc -l);"
