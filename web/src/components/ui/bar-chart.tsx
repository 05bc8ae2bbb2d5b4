import { Box, Flex, Stack, Text } from '@chakra-ui/react';

export interface ChartPoint {
  label: string;
  value: number;
}

export interface BarChartProps {
  /** Names the chart for screen readers, such as "Credits spent per day". */
  title: string;
  points: ChartPoint[];
  formatValue: (value: number) => string;
  /** Height of the plot area in Chakra size tokens. @default '40' */
  height?: string;
}

const VIEW_WIDTH = 1000;
const VIEW_HEIGHT = 200;

/**
 * Draws one vertical bar per point in a plain SVG, with the first and last labels below it.
 * Each bar carries its label and value as a `<title>`, so the figures reach screen readers
 * and show as a tooltip on hover. A hand-written chart keeps the console chunks small.
 */
export function BarChart({ title, points, formatValue, height = '40' }: BarChartProps) {
  const peak = Math.max(0, ...points.map((point) => point.value));
  // An empty chart still needs a scale, so the bars are drawn against at least 1.
  const max = Math.max(1, peak);
  const slot = VIEW_WIDTH / Math.max(points.length, 1);
  const barWidth = Math.max(slot * 0.7, 1);
  const first = points[0];
  const last = points.at(-1);

  return (
    <Stack gap="1">
      <Text textStyle="xs" color="fg.muted" textAlign="end">
        Peak {formatValue(peak)}
      </Text>
      <Box
        height={height}
        color="colorPalette.solid"
        borderBottomWidth="1px"
        borderColor="border.emphasized"
      >
        <svg
          role="img"
          aria-label={title}
          viewBox={`0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`}
          preserveAspectRatio="none"
          width="100%"
          height="100%"
        >
          {points.map((point, index) => {
            const barHeight = (point.value / max) * VIEW_HEIGHT;
            return (
              <rect
                key={point.label}
                x={index * slot + (slot - barWidth) / 2}
                y={VIEW_HEIGHT - barHeight}
                width={barWidth}
                height={Math.max(barHeight, point.value > 0 ? 2 : 0)}
                fill="currentColor"
                rx="3"
              >
                <title>{`${point.label}: ${formatValue(point.value)}`}</title>
              </rect>
            );
          })}
        </svg>
      </Box>
      <Flex justify="space-between" textStyle="xs" color="fg.muted">
        <Text>{first?.label}</Text>
        <Text>{last && last !== first ? last.label : ''}</Text>
      </Flex>
    </Stack>
  );
}

export interface BarListProps {
  title: string;
  points: ChartPoint[];
  formatValue: (value: number) => string;
}

/** Lists labels with a proportional bar each, largest first, such as the spend per user. */
export function BarList({ title, points, formatValue }: BarListProps) {
  const sorted = [...points].sort((a, b) => b.value - a.value);
  const max = Math.max(1, ...sorted.map((point) => point.value));
  return (
    <Stack as="ul" gap="2" aria-label={title} listStyleType="none">
      {sorted.map((point) => (
        <Box as="li" key={point.label}>
          <Flex justify="space-between" gap="4" textStyle="sm">
            <Text truncate>{point.label}</Text>
            <Text fontVariantNumeric="tabular-nums" flexShrink="0">
              {formatValue(point.value)}
            </Text>
          </Flex>
          <Box height="2" borderRadius="full" bg="bg.muted" marginTop="1" aria-hidden="true">
            <Box
              height="full"
              borderRadius="full"
              bg="colorPalette.solid"
              width={`${(point.value / max) * 100}%`}
            />
          </Box>
        </Box>
      ))}
    </Stack>
  );
}
