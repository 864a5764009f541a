# adjust_ref.R: reference values for tests/test_adjust.c, computed by R's
# p.adjust(p, "holm") and p.adjust(p, "BH").  NA in R is NAN in C: it is
# left out of the family (p.adjust's default n is the number of non-NA p).
#
# Prints one C initializer per case: name, n, p[], holm[], bh[].  The C test
# includes the output file adjust_ref.out as it is.
#
#   cd tests/ref && Rscript adjust_ref.R > adjust_ref.out

num <- function(v) {
  if (is.na(v)) "NAN" else sprintf("%.17g", v)
}

nums <- function(x) {
  s <- vapply(x, num, character(1))
  lines <- vapply(split(s, ceiling(seq_along(s) / 4)),
                  function(l) paste(l, collapse = ", "), character(1))
  paste(lines, collapse = ",\n    ")
}

cases <- list(
  basic    = c(0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.0001),
  ties     = c(0.02, 0.02, 0.01, 0.04, 0.04, 0.3, 0.02),
  na       = c(0.01, NA, 0.04, 0.03, NA, 0.5),
  one      = c(0.03),
  one_na   = c(NA, 0.03, NA),
  all_na   = c(NA, NA),
  bounds   = c(0, 1, 0.5, 0.7, 0),
  capped   = c(0.6, 0.7, 0.8, 0.9),
  two      = c(0.04, 0.01),
  random40 = local({
    set.seed(31)
    p <- runif(40)
    p[1:8] <- p[1:8] / 1000
    p
  })
)

cat(sprintf("/* %s, Rscript adjust_ref.R */\n", R.version.string))
cat("/* name, n, p, p.adjust(p, \"holm\"), p.adjust(p, \"BH\") */\n")
for (name in names(cases)) {
  p <- cases[[name]]
  holm <- p.adjust(p, "holm")
  bh <- p.adjust(p, "BH")
  p <- as.numeric(p)
  stopifnot(all(as.numeric(sprintf("%.17g", p[!is.na(p)])) == p[!is.na(p)]))
  cat(sprintf("static const double %s_p[] = {\n    %s,\n};\n", name, nums(p)))
  cat(sprintf("static const double %s_holm[] = {\n    %s,\n};\n", name, nums(holm)))
  cat(sprintf("static const double %s_bh[] = {\n    %s,\n};\n", name, nums(bh)))
}
cat("\nstatic const struct adjust_ref adjust_ref[] = {\n")
for (name in names(cases))
  cat(sprintf("{ \"%s\", %d, %s_p, %s_holm, %s_bh },\n", name, length(cases[[name]]),
              name, name, name))
cat("};\n")
