import { Button, HStack, Input, Stack, Table, Text, VisuallyHidden } from '@chakra-ui/react';
import type { PriceTable } from '@creditgate/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useApi } from '../../lib/api-context';
import { formatCredits, formatDateTime } from '../../lib/format';
import { useLoad, useSubmit } from '../../lib/use-request';

const priceFields = [
  { name: 'input', label: 'Input' },
  { name: 'cachedInput', label: 'Cached input' },
  { name: 'output', label: 'Output' },
] as const;

type PriceField = (typeof priceFields)[number]['name'];

interface PriceRow {
  /** Stable key of the row while its model id is edited. */
  key: string;
  model: string;
  input: string;
  cachedInput: string;
  output: string;
}

const MAX_PRICE = 100_000_000;
const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;

/**
 * Renders the platform price table, integer credits per 1M tokens, where a SuperAdmin edits,
 * adds and removes models and saves the whole table at once.
 */
export function PricesPage() {
  const api = useApi();
  const prices = useLoad(() => api.getPrices(), 'prices');
  const [rows, setRows] = useState<PriceRow[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  /** The cell that the problem names, marked invalid so that it is easy to find. */
  const [invalidCell, setInvalidCell] = useState<{ key: string; field: PriceField | 'model' }>();
  const save = useSubmit(async (table: PriceTable) => {
    const saved = await api.updatePrices(table);
    prices.setData(() => saved);
    toaster.create({
      type: 'success',
      title: 'Prices saved',
      description: saved.effectiveAt
        ? `They apply to calls that start after ${formatDateTime(saved.effectiveAt)}.`
        : undefined,
    });
  });

  useEffect(() => {
    if (!prices.data) return;
    setRows(
      Object.entries(prices.data.prices)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([model, price]) => ({
          key: model,
          model,
          input: String(price.input),
          cachedInput: String(price.cachedInput),
          output: String(price.output),
        })),
    );
  }, [prices.data]);

  const update = (key: string, field: PriceField | 'model', value: string) =>
    setRows((current) =>
      current.map((row) => (row.key === key ? { ...row, [field]: value } : row)),
    );

  const isInvalid = (key: string, field: PriceField | 'model') =>
    invalidCell?.key === key && invalidCell.field === field ? true : undefined;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const table: PriceTable = {};
    for (const row of rows) {
      const model = row.model.trim();
      if (!MODEL_PATTERN.test(model)) {
        setProblem(`"${model}" is not a valid model id.`);
        setInvalidCell({ key: row.key, field: 'model' });
        return;
      }
      if (table[model]) {
        setProblem(`${model} is listed twice.`);
        setInvalidCell({ key: row.key, field: 'model' });
        return;
      }
      const values = priceFields.map((field) => Number(row[field.name]));
      const badIndex = values.findIndex(
        (value, index) => !isPrice(value, row[priceFields[index]?.name ?? 'input']),
      );
      const badField = priceFields[badIndex];
      if (badField) {
        setProblem(
          `${badField.label} price of ${model} must be a whole number from 0 to ${formatCredits(MAX_PRICE)}.`,
        );
        setInvalidCell({ key: row.key, field: badField.name });
        return;
      }
      table[model] = { input: values[0] ?? 0, cachedInput: values[1] ?? 0, output: values[2] ?? 0 };
    }
    if (Object.keys(table).length === 0) {
      setProblem('Price at least one model.');
      setInvalidCell(undefined);
      return;
    }
    setProblem(null);
    setInvalidCell(undefined);
    void save.run(table);
  };

  return (
    <Stack gap="6">
      <PageHeader
        title="Prices"
        description="Credits per 1 million tokens for each model. Plans may only offer priced models."
      />
      <SectionCard
        title="Price table"
        description={
          prices.data?.updatedAt
            ? `Last changed ${formatDateTime(prices.data.updatedAt)}.`
            : 'The default prices apply.'
        }
      >
        <form onSubmit={handleSubmit} noValidate>
          <Stack gap="4">
            <ErrorAlert error={prices.error ?? save.error} />
            {problem && (
              <Text color="fg.error" role="alert">
                {problem}
              </Text>
            )}
            {prices.isLoading && !prices.data ? (
              <LoadingRows label="Loading prices" />
            ) : (
              <Table.ScrollArea>
                <Table.Root size="sm" aria-label="Prices">
                  <Table.Header>
                    <Table.Row>
                      <Table.ColumnHeader>Model</Table.ColumnHeader>
                      {priceFields.map((field) => (
                        <Table.ColumnHeader key={field.name}>{field.label}</Table.ColumnHeader>
                      ))}
                      <Table.ColumnHeader>
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.ColumnHeader>
                    </Table.Row>
                  </Table.Header>
                  <Table.Body>
                    {rows.map((row) => (
                      <Table.Row key={row.key}>
                        <Table.Cell minWidth="48">
                          <Input
                            size="sm"
                            aria-label="Model id"
                            aria-invalid={isInvalid(row.key, 'model')}
                            value={row.model}
                            onChange={(event) => update(row.key, 'model', event.target.value)}
                          />
                        </Table.Cell>
                        {priceFields.map((field) => (
                          <Table.Cell key={field.name} minWidth="28">
                            <Input
                              size="sm"
                              inputMode="numeric"
                              aria-label={`${field.label} price of ${row.model || 'new model'}`}
                              aria-invalid={isInvalid(row.key, field.name)}
                              value={row[field.name]}
                              onChange={(event) => update(row.key, field.name, event.target.value)}
                            />
                          </Table.Cell>
                        ))}
                        <Table.Cell textAlign="end">
                          <Button
                            size="xs"
                            variant="ghost"
                            aria-label={`Remove ${row.model || 'new model'}`}
                            onClick={() =>
                              setRows((current) => current.filter((item) => item.key !== row.key))
                            }
                          >
                            Remove
                          </Button>
                        </Table.Cell>
                      </Table.Row>
                    ))}
                  </Table.Body>
                </Table.Root>
              </Table.ScrollArea>
            )}
            <HStack justify="space-between" wrap="wrap" gap="2">
              <Button
                variant="outline"
                size="sm"
                onClick={() =>
                  setRows((current) => [
                    ...current,
                    {
                      key: crypto.randomUUID(),
                      model: '',
                      input: '0',
                      cachedInput: '0',
                      output: '0',
                    },
                  ])
                }
              >
                Add model
              </Button>
              <Button type="submit" loading={save.isPending} loadingText="Saving…">
                Save prices
              </Button>
            </HStack>
          </Stack>
        </form>
      </SectionCard>
    </Stack>
  );
}

function isPrice(value: number, text: string): boolean {
  return text.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= MAX_PRICE;
}
