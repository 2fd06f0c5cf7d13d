# bash completion for bti(1).
#
# Every candidate comes from bti itself: `bti __complete WORD...` prints,
# one per line, the candidates for the last word given (the commands; a
# command's subcommands; a subcommand's options and the global options;
# an option's values, from its kind).
# This script knows only the values of the global options --db (a file),
# --format and --color, and that a text value may be @- or @FILE, so a new
# command or option needs no edit here.

# Print the words of the line after `bti` up to the current one, one per
# line.  bash splits words at the characters of COMP_WORDBREAKS; the
# pieces are joined again at '=' and ':' (`--format=json`) and after '@'
# (`@FILE`).  The last line is the current word, possibly empty.
_bti_words()
{
    local -a out=()
    local i w join=0
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]-}
        if ((${#out[@]} > 0)) && [[ $w == [=:] ]]; then
            out[${#out[@]} - 1]+=$w
            join=1
        elif ((${#out[@]} > 0 && join)); then
            out[${#out[@]} - 1]+=$w
            join=0
        else
            out+=("$w")
            join=0
            [[ $w == @ ]] && join=1
        fi
    done
    ((${#out[@]} > 0)) || out=("")
    printf '%s\n' "${out[@]}"
}

# Print the candidates bti gives for the current word: the words before it
# are passed as typed, and the current one.  -h, --help and --version
# before it are left out, as they would make bti print its usage instead.
_bti_ask()
{
    local bti=$1 cur=$2
    shift 2
    local -a args=()
    local w
    for w in "$@"; do
        [[ $w == @(-h|--help|--version) ]] || args+=("$w")
    done
    args+=("$cur")
    # A candidate is a line: a unit's or a coordinator's name may have spaces.
    "$bti" __complete "${args[@]}" 2>/dev/null | while IFS= read -r w; do
        [[ -n $w ]] && printf '%s\n' "$w"
    done
}

_bti()
{
    local bti=${1:-${COMP_WORDS[0]:-bti}}
    bti=${bti/#\~/$HOME}
    command -v -- "$bti" >/dev/null 2>&1 || bti=bti

    local -a words
    mapfile -t words < <(_bti_words)
    local n=${#words[@]}
    local cur=${words[n - 1]} prev=
    ((n > 1)) && prev=${words[n - 2]}

    # The text readline replaces: $2 when bash calls us, else the last
    # piece of the current word (after an '=' that bash split off).
    local rl
    if (($# >= 2)); then
        rl=$2
    else
        rl=${COMP_WORDS[COMP_CWORD]-}
        [[ $rl == [=:] ]] && rl=
    fi

    # Which option the current word is the value of, if any.
    local opt= val=$cur
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        val=${cur#*=}
    elif [[ $prev == @(--db|--format|--color|--output|-o) ]]; then
        opt=$prev
    fi
    # The value as meant: after an opening quote (readline closes it and
    # inserts the rest as it is), or with backslashes' escapes undone
    # (the rest is then inserted escaped: "Psykisk\ helse").
    local quote=
    case $val in
    [\"\']*)
        quote=${val:0:1}
        val=${val:1}
        ;;
    *) val=${val//\\/} ;;
    esac

    local -a cands=()
    local c files=0 nospace=0
    case $opt in
    --db | --output | -o)
        mapfile -t cands < <(compgen -f -- "$val")
        files=1
        ;;
    --format) cands=(table json csv excel xlsx html) ;;
    --color) cands=(auto never always) ;;
    "")
        if [[ $cur == @* ]]; then
            [[ @- == "$cur"* ]] && cands+=(@-)
            while IFS= read -r c; do
                [[ -d $c ]] && c+=/ && nospace=1
                cands+=("@$c")
            done < <(compgen -f -- "${cur#@}")
        else
            mapfile -t cands < <(_bti_ask "$bti" "$cur" "${words[@]:0:n-1}")
        fi
        ;;
    *) # the value of a command's option: bti offers what its kind takes
        mapfile -t cands < <(_bti_ask "$bti" "$val" "${words[@]:0:n-1}" "$opt")
        ;;
    esac

    # Keep the candidates that begin with the current word, and hand
    # readline only the part of each that it replaces.
    local head=
    [[ $cur == --*=* ]] && head=$opt=
    local strip=${cur%"$rl"}
    COMPREPLY=()
    for c in "${cands[@]}"; do
        [[ $c == "$val"* ]] || continue
        if [[ -n $quote ]]; then
            c=$quote$c
        elif ((!files)); then
            printf -v c '%q' "$c"
        fi
        c=$head$c
        COMPREPLY+=("${c#"$strip"}")
    done
    if ((files)); then
        compopt -o filenames 2>/dev/null
    elif ((nospace)); then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}

complete -F _bti bti
