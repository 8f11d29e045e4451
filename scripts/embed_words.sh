#!/usr/bin/env bash
# Writes a word list (one word a line, sorted bytewise) as the C tables
# NAME_words[] (the words joined by NULs), NAME_word_at[] (where each
# starts) and NAME_words_count, as src/receipt/kana_lex.h declares them.
# Usage: scripts/embed_words.sh WORDS NAME
set -euo pipefail
words=$1
name=$2
echo "const char ${name}_words[] ="
LC_ALL=C awk '{ printf "\t\"%s\\0\"\n", $0 }' "$words"
echo '	;'
echo "const uint32_t ${name}_word_at[] = {"
LC_ALL=C awk 'BEGIN { at = 0 } { printf "\t%d,\n", at; at += length($0) + 1 }' "$words"
echo '};'
echo "const size_t ${name}_words_count = $(wc -l < "$words");"
