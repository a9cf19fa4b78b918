# Warning and sanitizer flags applied to every minga target through minga_setup_target().
function(minga_setup_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(MINGA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(MINGA_SANITIZE)
    # -O1: sanitizer builds compile much faster than at -O2 and still catch what they catch.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined -O1
                                             # GCC 12's flow analysis under ASan reports
                                             # maybe-uninitialized inside std::function,
                                             # std::variant and Beast; the plain -Werror build
                                             # keeps the warning.
                                             -Wno-maybe-uninitialized)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
