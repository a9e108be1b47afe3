# success.gp — vlift report: share of operators solved (VERIFIED or LIFTED) per category and
# tool, as clustered bars with the percentage above each bar (rotated, so that many tools fit).
# Variables (set by vlift report with -e): datafile outbase width height fontsize ntools.
# datafile: a header row `category "tool1" "tool2" ...`, then one row per category, "all" last.
set termoption noenhanced
set datafile missing "NaN"
set key autotitle columnheader top left horizontal
set style fill solid 0.85 border -1
bw = 0.8 / ntools
set boxwidth bw
set yrange [0:118]
set ytics 0,20,100
set grid ytics
set ylabel "operators solved (%)"
set xtics nomirror
set offsets 0.5, 0.5, 0, 0
set title "Operators solved (VERIFIED or LIFTED) per category and tool"
set terminal pngcairo size width,height font ",".fontsize noenhanced
set output outbase.".png"
plot datafile using 0:(1/0):xtic(1) notitle, \
     for [i=2:ntools+1] datafile using ($0 + (i-2-(ntools-1)/2.0)*bw):i with boxes, \
     for [i=2:ntools+1] datafile using ($0 + (i-2-(ntools-1)/2.0)*bw):(column(i)+2):(sprintf("%.0f", column(i))) \
         with labels rotate by 90 left font sprintf(",%g", fontsize*0.8) notitle
set terminal svg size width,height font "Sans,".fontsize noenhanced background "white"
set output outbase.".svg"
replot
