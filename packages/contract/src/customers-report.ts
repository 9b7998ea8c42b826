import { z } from 'zod';
import { DateTime } from './date-time.js';
import { successEnvelope } from './envelope.js';

/**
 * How the customers report orders its rows: by name as people read names, whatever the
 * database's collation (PGlite and many servers sort by byte, "Zoë" after "Zurich",
 * "Customer 10" before "Customer 2"): ICU's English collation, accents and case only
 * breaking ties, digits compared as numbers.
 */
export const CUSTOMER_NAME_COLLATION = {
  locale: 'en',
  options: { sensitivity: 'base', numeric: true },
} as const satisfies { locale: string; options: Intl.CollatorOptions };

/** One customer: every order placed under that name, and what they add up to. */
export const CustomerSummary = z
  .object({
    customer: z.string(),
    orders: z.int().min(1),
    revenue: z.number().nonnegative().meta({ description: 'Sum of the customer’s order totals, two decimals.' }),
    lastOrderAt: DateTime.meta({ description: 'When the customer’s newest order was created.' }),
  })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.output<typeof CustomerSummary>;

/** The report takes no parameters: any query parameter is a 400 naming it, never silently ignored. */
export const CustomersReportQuery = z.strictObject({}).meta({ id: 'CustomersReportQuery' });

export const CustomersReport = z
  .object({
    rows: z.array(CustomerSummary).meta({
      description:
        'Every customer, by name (ICU `en` collation: accents and case only break ties, digits as numbers; ties in that order by code point).',
    }),
  })
  .meta({ id: 'CustomersReport' });
export type CustomersReport = z.output<typeof CustomersReport>;

export const CustomersReportEnvelope = successEnvelope('CustomersReportEnvelope', 200, CustomersReport);
