#!/usr/bin/env bash
# Checks the documentation: every relative link and #anchor in README.md, docs/**/*.md and the
# DocC catalogs' Markdown (Sources/**/*.docc/**/*.md) resolves, and, given the runviz binary, every
# subcommand and flag its --help lists is named in docs/cli.md.
#
#   usage: bash Scripts/check-docs.sh [path/to/runviz]
#
# Links: `[text](target)` and `[label]: target` outside code (fenced blocks and `code spans`).
# A target with a scheme (https:, mailto:, doc:) is not checked here (DocC checks its own doc:
# links); any other is a path relative to the file that holds it, and must exist (in a DocC
# catalog, a bare file name may also name a resource anywhere in the catalog, as DocC finds images). An #anchor must
# name a heading of the file it points to (a Markdown file), as GitHub spells it: the heading's text
# lowercased, every character but letters, digits, spaces, '-' and '_' dropped, each space a '-',
# and a repeated heading suffixed -1, -2…; an HTML `id="…"` or `name="…"` counts too.
#
# Flags: `runviz --help` lists the subcommands; for each, `runviz SUB --help`'s OPTIONS lines list
# its flags. docs/cli.md must have a `## SUB` heading for each subcommand and name each flag as a
# word (`--history` is not found inside `--history-mb`). Without the binary this part is skipped,
# and the script says so.
#
# Prints one line per problem (`FILE:LINE: TARGET`, or `docs/cli.md: runviz SUB FLAG`) and exits 1
# if there is any; otherwise one summary line, exit 0.

set -euo pipefail
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."

RUNVIZ=${1:-}
problems=0
links=0

shopt -s globstar nullglob
FILES=(README.md docs/**/*.md Sources/**/*.docc/**/*.md)

# GitHub's anchor for a heading's text.
slug() {
    local text=$1
    # A link in a heading reads as its text; emphasis marks and code backticks are not text.
    while [[ $text =~ \[([^]]*)\]\([^\)]*\) ]]; do
        text=${text/"${BASH_REMATCH[0]}"/"${BASH_REMATCH[1]}"}
    done
    text=${text,,}
    text=${text//[^[:alnum:] _-]/}
    printf '%s' "${text// /-}"
}

# Each line of FILE outside fenced code blocks, as "NUMBER<TAB>TEXT", code spans removed.
prose_lines() {
    local number=0 fence=false line
    while IFS= read -r line || [[ -n $line ]]; do
        number=$((number + 1))
        if [[ $line =~ ^\ {0,3}(\`\`\`|~~~) ]]; then
            if $fence; then fence=false; else fence=true; fi
            continue
        fi
        $fence && continue
        while [[ $line =~ \`[^\`]*\` ]]; do line=${line/"${BASH_REMATCH[0]}"/}; done
        printf '%s\t%s\n' "$number" "$line"
    done <"$1"
}

# The anchors of a Markdown file, one per line (cached per file).
declare -A ANCHORS=()
anchors_of() {
    local file=$1 number line text anchor
    [[ -n ${ANCHORS[$file]+set} ]] && return 0
    local -A seen=()
    local list=$'\n'
    while IFS=$'\t' read -r number line; do
        if [[ $line =~ ^\ {0,3}#{1,6}\ +(.*)$ ]]; then
            text=${BASH_REMATCH[1]}
            [[ $text =~ ^(.*[^#\ ])\ +#+\ *$ ]] && text=${BASH_REMATCH[1]}
            anchor=$(slug "$text")
            if [[ -n ${seen[$anchor]+set} ]]; then
                seen[$anchor]=$((seen[$anchor] + 1))
                anchor="$anchor-${seen[$anchor]}"
            else
                seen[$anchor]=0
            fi
            list+="$anchor"$'\n'
        fi
        while [[ $line =~ (id|name)=\"([^\"]+)\" ]]; do
            list+="${BASH_REMATCH[2]}"$'\n'
            line=${line/"${BASH_REMATCH[0]}"/}
        done
    done < <(prose_lines "$file")
    ANCHORS[$file]=$list
}

# in_catalog FILE NAME: a DocC resource named by its bare file name (an image of the catalog
# FILE is in, in any folder of it, also as NAME@2x or NAME~dark) exists.
in_catalog() {
    local catalog=${1%%.docc/*}.docc name=${2%.*} extension=${2##*.}
    [[ -n $(find "$catalog" -type f \( -name "$2" -o -name "$name[@~]*.$extension" \) -print -quit) ]]
}

broken() { # broken FILE LINE TARGET
    printf '%s:%s: %s\n' "$1" "$2" "$3"
    problems=$((problems + 1))
}

# check_target FILE LINE TARGET: the path exists, and the anchor names a heading there.
check_target() {
    local file=$1 number=$2 target=$3 path anchor resolved
    target=${target#<}
    target=${target%>}
    [[ $target =~ ^[A-Za-z][A-Za-z0-9+.-]*: ]] && return 0
    links=$((links + 1))
    path=${target%%#*}
    anchor=""
    [[ $target == *"#"* ]] && anchor=${target#*#}
    if [[ -z $path ]]; then
        resolved=$file
    else
        path=${path//%20/ }
        resolved="$(dirname "$file")/$path"
        if [[ ! -e $resolved && $file == *.docc/* && $path != */* ]] && in_catalog "$file" "$path"; then
            return 0
        fi
        [[ -e $resolved ]] || { broken "$file" "$number" "$target"; return 0; }
    fi
    [[ -z $anchor ]] && return 0
    if [[ ! -f $resolved || $resolved != *.md ]]; then
        broken "$file" "$number" "$target"
        return 0
    fi
    anchors_of "$resolved"
    [[ ${ANCHORS[$resolved]} == *$'\n'"$anchor"$'\n'* ]] || broken "$file" "$number" "$target"
}

for file in "${FILES[@]}"; do
    while IFS=$'\t' read -r number line; do
        if [[ $line =~ ^\ {0,3}\[[^]]+\]:\ +([^ ]+) ]]; then
            check_target "$file" "$number" "${BASH_REMATCH[1]}"
            continue
        fi
        while [[ $line =~ \]\(([<][^>]*[>]|[^\)\ ]+)(\ +\"[^\"]*\")?\) ]]; do
            link=${BASH_REMATCH[0]} target=${BASH_REMATCH[1]}
            line=${line/"$link"/}
            check_target "$file" "$number" "$target"
        done
    done < <(prose_lines "$file")
done

# Names WORD as a whole flag in docs/cli.md: not inside a longer one.
names_flag() {
    grep -Eq -- "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|\$)" docs/cli.md
}

flags=0
if [[ -z $RUNVIZ ]]; then
    echo "check-docs: no runviz binary given, so docs/cli.md was not checked against --help (usage: bash Scripts/check-docs.sh .build/debug/runviz)"
else
    [[ -x $RUNVIZ ]] || { echo "check-docs: $RUNVIZ is no executable (build first: swift build)" >&2; exit 2; }
    subcommands=$("$RUNVIZ" --help | awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
    [[ -n $subcommands ]] || { echo "check-docs: $RUNVIZ --help lists no subcommand" >&2; exit 2; }
    for sub in $subcommands; do
        grep -Eq "^## $sub\$" docs/cli.md || {
            echo "docs/cli.md: runviz $sub (no \"## $sub\" section)"
            problems=$((problems + 1))
        }
        for flag in $("$RUNVIZ" "$sub" --help | awk '/^OPTIONS:/ { on = 1; next } on && /^  -/' |
            grep -Eo -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,'); do
            flags=$((flags + 1))
            names_flag "$flag" || {
                echo "docs/cli.md: runviz $sub $flag"
                problems=$((problems + 1))
            }
        done
    done
fi

if ((problems > 0)); then
    echo "check-docs: $problems problems" >&2
    exit 1
fi
echo "check-docs: ${#FILES[@]} files, $links relative links and anchors resolve; $flags flags of $RUNVIZ named in docs/cli.md"
