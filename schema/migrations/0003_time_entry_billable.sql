ALTER TABLE `time_entries` ADD `billable` integer DEFAULT true NOT NULL;--> statement-breakpoint
UPDATE `time_entries` SET `billable` = (`amount` > 0);
