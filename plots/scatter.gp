# scatter.gp — vlift report: vlift's total time (x) against another tool's (y) per operator,
# log-log. Points above the diagonal are operators where vlift is faster. Operators a tool did
# not solve are drawn on its "unsolved" line (1.5 x the largest time of the run).
# Variables: datafile outbase width height fontsize tools ("REFERENCE OTHER") cap npoints.
# datafile: header `operator x y`, then one row per operator.
set termoption noenhanced
set logscale xy
set format x "%g"
set format y "%g"
lo = 0.0005
set xrange [lo:cap * 2]
set yrange [lo:cap * 2]
set size ratio -1
set xlabel word(tools, 1)." time (s)"
set ylabel word(tools, 2)." time (s)"
set key bottom right box opaque
set grid
set arrow 1 from lo, cap to cap * 2, cap nohead dt 3 lc rgb "gray40"
set arrow 2 from cap, lo to cap, cap * 2 nohead dt 3 lc rgb "gray40"
set label 1 "unsolved" at lo * 1.3, cap * 1.25 textcolor rgb "gray40"
set title word(tools, 1)." vs ".word(tools, 2)." (".npoints." operators)"
set terminal pngcairo size height * 1.1, height font ",".fontsize noenhanced
set output outbase.".png"
plot x with lines dt 2 lc rgb "gray60" title "equal time", \
     datafile every ::1 using 2:3 with points pt 7 ps 1.2 lc rgb "#1f77b4" title "operators"
set terminal svg size height * 1.1, height font "Sans,".fontsize noenhanced background "white"
set output outbase.".svg"
replot
